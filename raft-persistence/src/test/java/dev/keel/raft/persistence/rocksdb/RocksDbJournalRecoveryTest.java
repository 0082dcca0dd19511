package dev.keel.raft.persistence.rocksdb;

import static dev.keel.raft.persistence.rocksdb.TestSystems.append;
import static dev.keel.raft.persistence.rocksdb.TestSystems.spawnRecovered;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Event-sourced behaviors persisting through the RocksDB plugins and recovering. */
class RocksDbJournalRecoveryTest {

  @TempDir Path root;

  private ActorTestKit kit;

  @AfterEach
  void shutdown() {
    if (kit != null) {
      kit.shutdownTestKit();
    }
  }

  @Test
  void eventsAreRecoveredAfterTheActorRestarts() {
    kit = TestSystems.start(root);
    ActorRef<EventLog.Command> log = spawnRecovered(kit, EventLog.Setup.of("p1")).log();
    assertThat(append(kit, log, "a")).isEqualTo(1);
    assertThat(append(kit, log, "b", "c")).isEqualTo(3);
    kit.stop(log, TestSystems.TIMEOUT);

    EventLog.Recovered recovered = spawnRecovered(kit, EventLog.Setup.of("p1")).recovered();

    assertThat(recovered.state()).isEqualTo("a,b,c");
    assertThat(recovered.lastSequenceNr()).isEqualTo(3);
  }

  @Test
  void eventsAreRecoveredInANewActorSystemOnTheSameDirectory() {
    kit = TestSystems.start(root);
    ActorRef<EventLog.Command> log = spawnRecovered(kit, EventLog.Setup.of("p1")).log();
    append(kit, log, "a", "b");
    append(kit, log, "c");
    kit.shutdownTestKit();

    // The first system's journal closed RocksDB when it stopped, so the directory reopens.
    kit = TestSystems.start(root);
    TestSystems.Spawned again = spawnRecovered(kit, EventLog.Setup.of("p1"));

    assertThat(again.recovered().state()).isEqualTo("a,b,c");
    assertThat(append(kit, again.log(), "d")).isEqualTo(4);
  }

  @Test
  void interleavedPersistenceIdsRecoverOnlyTheirOwnEvents() {
    kit = TestSystems.start(root);
    // Ids that are prefixes of each other must not see each other's events.
    List<String> ids = List.of("p", "p1", "p10", "q");
    List<ActorRef<EventLog.Command>> logs = new ArrayList<>();
    for (String id : ids) {
      logs.add(spawnRecovered(kit, EventLog.Setup.of(id)).log());
    }
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < ids.size(); i++) {
        append(kit, logs.get(i), ids.get(i) + "-" + round);
      }
    }
    for (ActorRef<EventLog.Command> log : logs) {
      kit.stop(log, TestSystems.TIMEOUT);
    }

    for (String id : ids) {
      EventLog.Recovered recovered = spawnRecovered(kit, EventLog.Setup.of(id)).recovered();
      assertThat(recovered.state())
          .isEqualTo(String.join(",", id + "-0", id + "-1", id + "-2", id + "-3", id + "-4"));
      assertThat(recovered.lastSequenceNr()).isEqualTo(5);
    }
  }

  @Test
  void twoPluginInstancesWithDifferentDirectoriesWorkInOneSystem() {
    kit = TestSystems.start(root);
    EventLog.Setup onA = perPeerSetup("a");
    EventLog.Setup onB = perPeerSetup("b");
    ActorRef<EventLog.Command> logA = spawnRecovered(kit, onA).log();
    ActorRef<EventLog.Command> logB = spawnRecovered(kit, onB).log();
    append(kit, logA, "a1", "a2");
    append(kit, logB, "b1");
    kit.shutdownTestKit();

    assertThat(root.resolve("peer-a/journal/CURRENT")).isRegularFile();
    assertThat(root.resolve("peer-b/journal/CURRENT")).isRegularFile();
    assertThat(Files.exists(root.resolve("journal"))).isFalse();

    kit = TestSystems.start(root);
    assertThat(spawnRecovered(kit, perPeerSetup("a")).recovered().state()).isEqualTo("a1,a2");
    assertThat(spawnRecovered(kit, perPeerSetup("b")).recovered().state()).isEqualTo("b1");
  }

  /** The same persistence id on another peer's journal plugin, as Raft peers in one JVM do. */
  private EventLog.Setup perPeerSetup(String peer) {
    String pluginId = "keel.persistence.journal.rocksdb-" + peer;
    Config config =
        RocksDbPlugins.journalConfig(
            kit.system().settings().config(), pluginId, root.resolve("peer-" + peer + "/journal"));
    return EventLog.Setup.of("raft-log").withJournal(pluginId, config);
  }

  @Test
  void snapshotsWithEventDeletionRecoverStateAndKeepSequenceNumbers() {
    kit = TestSystems.start(root);
    EventLog.Setup setup = EventLog.Setup.of("snap").withSnapshotEvery(3);
    ActorRef<EventLog.Command> log = spawnRecovered(kit, setup).log();
    for (int i = 1; i <= 7; i++) {
      assertThat(append(kit, log, "e" + i)).isEqualTo(i);
    }
    kit.shutdownTestKit();

    kit = TestSystems.start(root);
    TestSystems.Spawned again = spawnRecovered(kit, setup);

    assertThat(again.recovered().state()).isEqualTo("e1,e2,e3,e4,e5,e6,e7");
    assertThat(again.recovered().lastSequenceNr()).isEqualTo(7);
    assertThat(append(kit, again.log(), "e8")).isEqualTo(8);
  }
}
