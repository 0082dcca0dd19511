package dev.keel.raft.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import dev.keel.raft.persistence.journal.JournaledRaftStorage;
import dev.keel.raft.protocol.RaftMessage;
import dev.keel.raft.testkit.Await;
import dev.keel.raft.testkit.TestCluster;
import dev.keel.raft.testkit.kv.KeyValueStateMachine;
import dev.keel.raft.testkit.kv.KvCommand;
import dev.keel.raft.testkit.kv.KvQuery;
import dev.keel.raft.testkit.kv.KvResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots on the real on-disk journal: a follower that was down while the others compacted
 * catches up through a chunked snapshot (one chunk lost on the way), and a whole new actor system
 * recovers every peer from its journaled snapshot plus the entries after it.
 */
class JournaledSnapshotClusterTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final String VALUE = "v".repeat(100);

  @TempDir Path dir;

  private ActorTestKit kit;
  private final Map<String, JournaledRaftStorage> storages = new ConcurrentHashMap<>();

  @AfterEach
  void shutdown() {
    if (kit != null) {
      kit.shutdownTestKit();
    }
  }

  private TestCluster<KvCommand, KvQuery, KvResult> start(ActorSystem<?> system) {
    return TestCluster.builder(KeyValueStateMachine::new)
        .nodes(3)
        .seed(61)
        .settings(TestCluster.fastSettings().withSnapshots(40, 1024))
        .storage(
            id -> {
              JournaledRaftStorage storage =
                  JournaledRaftStorage.builder(system, "snapshots", id)
                      .rocksDb(dir.resolve(id))
                      .build();
              storages.put(id, storage);
              return storage;
            })
        .start(system);
  }

  private static long write(TestCluster<KvCommand, KvQuery, KvResult> cluster, int from, int to) {
    long index = 0;
    for (int k = from; k < to; k++) {
      RaftReply<KvResult> reply =
          cluster.writeToLeader(new KvCommand.Put("k" + k, VALUE + k), TIMEOUT);
      assertThat(reply).as("write k%d", k).isInstanceOf(RaftReply.Ok.class);
      index = ((RaftReply.Ok<KvResult>) reply).index();
    }
    return index;
  }

  private static void awaitApplied(
      TestCluster<KvCommand, KvQuery, KvResult> cluster, String id, long index) {
    Await.until(
        id + " applied " + index,
        TIMEOUT,
        () -> {
          PeerStatus status = cluster.status(id);
          return status != null && status.lastApplied() >= index;
        });
  }

  @Test
  void laggingFollowerInstallsAJournaledSnapshotAndAllRecoverFromDisk() {
    kit = ActorTestKit.create("journaled-snapshots");
    long lastIndex;
    try (TestCluster<KvCommand, KvQuery, KvResult> cluster = start(kit.system())) {
      String leader = cluster.awaitLeader(TIMEOUT);
      String follower = cluster.ids().stream().filter(id -> !id.equals(leader)).findFirst().get();
      cluster.crash(follower);
      write(cluster, 0, 150);

      AtomicInteger chunks = new AtomicInteger();
      cluster
          .network()
          .setFilter(
              delivery ->
                  !(delivery.message() instanceof RaftMessage.InstallSnapshot chunk
                      && chunk.offset() > 0
                      && chunks.incrementAndGet() == 3));
      cluster.restart(follower);
      lastIndex = write(cluster, 150, 155);
      awaitApplied(cluster, follower, lastIndex);
      assertThat(chunks.get()).as("snapshot chunks sent after the first").isGreaterThan(3);
      RaftReply<KvResult> local =
          cluster.read(follower, new KvQuery("k7"), RaftPeer.ReadConsistency.LOCAL);
      assertThat(((RaftReply.Ok<KvResult>) local).result().value()).isEqualTo(VALUE + 7);
      // Every peer's journal dropped the events its snapshots cover.
      for (String id : cluster.ids()) {
        Await.until(
            id + " compacted its journal",
            TIMEOUT,
            () -> storages.get(id).statistics().compactions() > 0);
      }
    }

    // A new actor system on the same directories: snapshot + the journal after it.
    kit.shutdownTestKit();
    kit = ActorTestKit.create("journaled-snapshots-again");
    try (TestCluster<KvCommand, KvQuery, KvResult> cluster = start(kit.system())) {
      for (String id : cluster.ids()) {
        Await.until(
            id + " recovered its snapshot",
            TIMEOUT,
            () -> {
              PeerStatus status = cluster.status(id);
              return status != null && status.lastApplied() >= 40;
            });
      }
      RaftReply<KvResult> read = cluster.readFromLeader(new KvQuery("k154"), TIMEOUT);
      assertThat(((RaftReply.Ok<KvResult>) read).result().value()).isEqualTo(VALUE + 154);
      RaftReply<KvResult> early = cluster.readFromLeader(new KvQuery("k0"), TIMEOUT);
      assertThat(((RaftReply.Ok<KvResult>) early).result().value()).isEqualTo(VALUE + 0);
      assertThat(((RaftReply.Ok<KvResult>) read).index()).isGreaterThan(lastIndex);
    }
  }
}
