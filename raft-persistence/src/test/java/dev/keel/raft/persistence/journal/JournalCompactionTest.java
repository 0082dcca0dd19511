package dev.keel.raft.persistence.journal;

import static dev.keel.raft.persistence.journal.Journals.GROUP;
import static dev.keel.raft.persistence.journal.Journals.assertLog;
import static dev.keel.raft.persistence.journal.Journals.await;
import static dev.keel.raft.persistence.journal.Journals.entries;
import static dev.keel.raft.persistence.journal.Journals.recover;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.RecoveredState;
import dev.keel.raft.persistence.SnapshotMetadata;
import dev.keel.raft.persistence.StoredSnapshot;
import dev.keel.raft.persistence.TermAndVote;
import dev.keel.raft.persistence.rocksdb.JournalSurgery;
import dev.keel.raft.persistence.rocksdb.RocksDbPlugins;
import dev.keel.raft.persistence.rocksdb.StoreContents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Journal compaction on the real RocksDB plugins: after a Raft snapshot the events it covers are
 * deleted, recovery reads the latest snapshot plus later events, and a crash between any two
 * compaction steps (on-disk states built here step by step) still recovers the same state.
 */
class JournalCompactionTest {

  private static final String NODE = "n1";
  private static final String PID = JournaledRaftStorage.persistenceId(GROUP, NODE);
  private static final TermAndVote VOTED = new TermAndVote(3, "n2");

  @TempDir Path dir;

  private ActorTestKit kit;

  @AfterEach
  void shutdown() {
    if (kit != null) {
      kit.shutdownTestKit();
    }
  }

  private static StoredSnapshot snapshot(long index, long term) {
    return new StoredSnapshot(
        new SnapshotMetadata(index, term, List.of("n1", "n2", "n3")),
        ("state at " + index).getBytes(StandardCharsets.UTF_8));
  }

  /** A storage on the RocksDB journal and snapshot store in {@code dir}, in a new system. */
  private JournaledRaftStorage open(boolean deleteEvents) {
    if (kit != null) {
      kit.shutdownTestKit();
    }
    kit = Journals.kit();
    JournaledRaftStorage storage =
        JournaledRaftStorage.builder(kit.system(), GROUP, NODE)
            .rocksDb(dir)
            .deleteEventsOnSnapshot(deleteEvents)
            .build();
    recover(storage);
    return storage;
  }

  /** A storage on the same RocksDB journal without any snapshot store: it never compacts. */
  private JournaledRaftStorage openWithoutSnapshotStore() {
    kit = Journals.kit();
    String id = RocksDbPlugins.JOURNAL_PLUGIN_ID + "-uncompacted";
    JournaledRaftStorage storage =
        JournaledRaftStorage.builder(kit.system(), GROUP, NODE)
            .journalPlugin(
                id,
                RocksDbPlugins.journalConfig(
                    kit.system().settings().config(),
                    id,
                    dir.resolve(JournaledRaftStorage.JOURNAL_DIR)))
            .build();
    recover(storage);
    return storage;
  }

  /** Writes events 1..11: the vote, then entries 1..100 in ten appends. */
  private static void writeVoteAndHundredEntries(JournaledRaftStorage storage) {
    await(storage.saveTermAndVote(VOTED));
    for (long first = 1; first <= 100; first += 10) {
      await(storage.appendEntries(entries(first, first + 9, 3)));
    }
  }

  private void awaitCompactions(JournaledRaftStorage storage, long count) {
    Journals.awaitCompactions(kit, storage, count);
  }

  private RecoveredState recoverInNewSystem() {
    if (kit != null) {
      kit.shutdownTestKit();
    }
    kit = Journals.kit();
    return recover(Journals.onRocksDb(kit, dir, NODE));
  }

  private void closeSystem() {
    kit.shutdownTestKit();
    kit = null;
  }

  private List<Long> events() {
    return StoreContents.eventSequenceNrs(dir.resolve(JournaledRaftStorage.JOURNAL_DIR), PID);
  }

  private List<Long> snapshots() {
    return StoreContents.snapshotSequenceNrs(dir.resolve(JournaledRaftStorage.SNAPSHOT_DIR), PID);
  }

  private static void assertRecoveredSnapshotAt60(RecoveredState recovered, long lastIndex) {
    assertThat(recovered.termAndVote()).isEqualTo(VOTED);
    assertThat(recovered.snapshot()).isEqualTo(snapshot(60, 3));
    List<LogEntry> expected = new ArrayList<>(entries(61, Math.min(lastIndex, 100), 3));
    if (lastIndex > 100) {
      expected.addAll(entries(101, lastIndex, 4));
    }
    assertLog(recovered.entries(), expected);
  }

  @Test
  void aSnapshotDeletesTheEventsItCoversAndRecoveryReadsItPlusLaterEvents() {
    JournaledRaftStorage storage = open(true);
    writeVoteAndHundredEntries(storage);
    await(storage.saveSnapshot(snapshot(60, 3), true)); // event 12
    awaitCompactions(storage, 1);
    await(storage.appendEntries(entries(101, 105, 4))); // event 13
    closeSystem();

    assertThat(events()).containsExactly(13L);
    assertThat(snapshots()).containsExactly(12L);
    assertRecoveredSnapshotAt60(recoverInNewSystem(), 105);
  }

  @Test
  void aLaterSnapshotReplacesTheEarlierOne() {
    JournaledRaftStorage storage = open(true);
    writeVoteAndHundredEntries(storage);
    await(storage.saveSnapshot(snapshot(40, 3), true)); // event 12
    awaitCompactions(storage, 1);
    await(storage.saveSnapshot(snapshot(60, 3), true)); // event 13
    awaitCompactions(storage, 2);
    closeSystem();

    assertThat(events()).isEmpty();
    assertThat(snapshots()).containsExactly(13L);
    assertRecoveredSnapshotAt60(recoverInNewSystem(), 100);
  }

  @Test
  void crashBeforeTheStateSnapshotWasSavedRecoversFromTheEventsAndCompactsLater() {
    // On disk: the Raft snapshot event, no snapshot of the journal actor's state.
    JournaledRaftStorage uncompacted = openWithoutSnapshotStore();
    writeVoteAndHundredEntries(uncompacted);
    await(uncompacted.saveSnapshot(snapshot(40, 3), true)); // event 12
    closeSystem();
    assertThat(snapshots()).isEmpty();
    assertThat(events()).hasSize(12);

    JournaledRaftStorage storage = open(true);
    await(storage.saveSnapshot(snapshot(60, 3), true)); // event 13
    awaitCompactions(storage, 1);
    closeSystem();

    assertThat(events()).isEmpty();
    assertRecoveredSnapshotAt60(recoverInNewSystem(), 100);
  }

  @Test
  void crashBeforeTheCoveredEventsWereDeletedRecoversFromTheSnapshot() {
    // On disk: the state snapshot at event 12 and every event it covers.
    JournaledRaftStorage storage = open(false);
    writeVoteAndHundredEntries(storage);
    await(storage.saveSnapshot(snapshot(60, 3), true)); // event 12
    awaitCompactions(storage, 1);
    await(storage.appendEntries(entries(101, 103, 4))); // event 13
    closeSystem();
    assertThat(events()).hasSize(13);
    assertThat(snapshots()).containsExactly(12L);

    assertRecoveredSnapshotAt60(recoverInNewSystem(), 103);
  }

  @Test
  void crashPartWayThroughAPiecemealDeletionRecoversFromTheSnapshot() throws Exception {
    JournaledRaftStorage storage = open(false);
    writeVoteAndHundredEntries(storage);
    await(storage.saveSnapshot(snapshot(60, 3), true)); // event 12
    awaitCompactions(storage, 1);
    await(storage.appendEntries(entries(101, 102, 4))); // event 13
    closeSystem();
    assertThat(snapshots()).containsExactly(12L);
    // A journal that deletes from the oldest event up and crashed after the first five.
    JournalSurgery.deleteEvents(dir.resolve(JournaledRaftStorage.JOURNAL_DIR), PID, 1, 5);

    assertRecoveredSnapshotAt60(recoverInNewSystem(), 102);
  }

  @Test
  void pekkosOwnInMemoryJournalAndLocalSnapshotStoreCompactToo() {
    kit =
        Journals.kit(
            ConfigFactory.parseString(
                    "pekko.persistence.journal.plugin = \"pekko.persistence.journal.inmem\"\n"
                        + "pekko.persistence.snapshot-store.plugin ="
                        + " \"pekko.persistence.snapshot-store.local\"\n")
                .withFallback(
                    ConfigFactory.parseMap(
                        Map.of(
                            "pekko.persistence.snapshot-store.local.dir",
                            dir.resolve("local-snapshots").toString()))));
    JournaledRaftStorage storage = JournaledRaftStorage.create(kit.system(), GROUP, NODE);
    recover(storage);
    writeVoteAndHundredEntries(storage);
    await(storage.saveSnapshot(snapshot(60, 3), true));
    awaitCompactions(storage, 1);
    await(storage.appendEntries(entries(101, 104, 4)));

    // A new journal actor in the same system: the in-memory journal lives as long as the system.
    assertRecoveredSnapshotAt60(recover(storage), 104);
  }
}
