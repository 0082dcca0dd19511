package dev.keel.raft.persistence.journal;

import static dev.keel.raft.persistence.journal.Journals.assertLog;
import static dev.keel.raft.persistence.journal.Journals.await;
import static dev.keel.raft.persistence.journal.Journals.entries;
import static dev.keel.raft.persistence.journal.Journals.entry;
import static dev.keel.raft.persistence.journal.Journals.onRocksDb;
import static dev.keel.raft.persistence.journal.Journals.recover;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.keel.raft.persistence.EntryPayload;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.RecoveredState;
import dev.keel.raft.persistence.TermAndVote;
import dev.keel.raft.persistence.rocksdb.JournalSurgery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link JournaledRaftStorage} writes to an on-disk RocksDB journal is what a new actor system
 * recovers from the same directory.
 */
class JournaledRaftStorageRecoveryTest {

  @TempDir Path dir;

  private ActorTestKit kit;

  @AfterEach
  void shutdown() {
    if (kit != null) {
      kit.shutdownTestKit();
    }
  }

  /** Stops the current actor system (closing the journal) and starts a new one. */
  private void restartSystem() {
    kit.shutdownTestKit();
    kit = Journals.kit();
  }

  @Test
  void termVoteAndEntriesSurviveANewActorSystem() {
    kit = Journals.kit();
    JournaledRaftStorage storage = onRocksDb(kit, dir, "n1");
    assertThat(recover(storage)).isEqualTo(RecoveredState.EMPTY);

    await(storage.saveTermAndVote(new TermAndVote(1, "n1")));
    List<LogEntry> written = new ArrayList<>(entries(1, 3, 1));
    written.add(new LogEntry(4, 1, EntryPayload.NoOp.INSTANCE));
    await(storage.appendEntries(written));
    await(storage.saveTermAndVote(new TermAndVote(2, null)));

    restartSystem();
    RecoveredState recovered = recover(onRocksDb(kit, dir, "n1"));

    assertThat(recovered.termAndVote()).isEqualTo(new TermAndVote(2, null));
    assertLog(recovered.entries(), written);
    assertThat(recovered.entries().get(3).isNoOp()).isTrue();
  }

  @Test
  void aReplacedSuffixStaysReplacedAfterRecovery() {
    kit = Journals.kit();
    JournaledRaftStorage storage = onRocksDb(kit, dir, "n1");
    recover(storage);
    await(storage.appendEntries(entries(1, 5, 1)));
    // A new leader's entries conflict from index 3 on (§5.3): the old 3..5 go, 3..4 of term 2 come.
    await(storage.appendEntries(entries(3, 4, 2)));

    restartSystem();
    List<LogEntry> log = recover(onRocksDb(kit, dir, "n1")).entries();

    List<LogEntry> expected = new ArrayList<>(entries(1, 2, 1));
    expected.addAll(entries(3, 4, 2));
    assertLog(log, expected);
  }

  @Test
  void peersOfOneSystemKeepSeparateJournals() {
    kit = Journals.kit();
    JournaledRaftStorage n1 = onRocksDb(kit, dir.resolve("n1"), "n1");
    JournaledRaftStorage n2 = onRocksDb(kit, dir.resolve("n2"), "n2");
    recover(n1);
    recover(n2);
    await(n1.appendEntries(entries(1, 2, 1)));
    await(n2.saveTermAndVote(new TermAndVote(3, "n2")));

    restartSystem();

    assertLog(recover(onRocksDb(kit, dir.resolve("n1"), "n1")).entries(), entries(1, 2, 1));
    RecoveredState second = recover(onRocksDb(kit, dir.resolve("n2"), "n2"));
    assertThat(second.entries()).isEmpty();
    assertThat(second.termAndVote()).isEqualTo(new TermAndVote(3, "n2"));
  }

  @Test
  void recoveringTheSameStorageAgainReplaysTheJournal() {
    kit = Journals.kit();
    JournaledRaftStorage storage = onRocksDb(kit, dir, "n1");
    recover(storage);
    await(storage.appendEntries(entries(1, 3, 1)));
    await(storage.saveTermAndVote(new TermAndVote(1, "n2")));

    // A restarted peer recovers again through the same object (as TestCluster.restart does).
    RecoveredState again = recover(storage);
    assertLog(again.entries(), entries(1, 3, 1));
    assertThat(again.termAndVote()).isEqualTo(new TermAndVote(1, "n2"));

    await(storage.appendEntries(entries(4, 4, 1)));
    restartSystem();
    assertLog(recover(onRocksDb(kit, dir, "n1")).entries(), entries(1, 4, 1));
  }

  @Test
  void everyAcknowledgedWriteSurvivesAnAbruptStop() {
    kit = Journals.kit();
    JournaledRaftStorage storage = onRocksDb(kit, dir, "n1");
    recover(storage);
    List<CompletionStage<Void>> stages = new ArrayList<>();
    for (long index = 1; index <= 500; index++) {
      stages.add(storage.appendEntries(List.of(entry(index, 1))));
    }
    await(stages.get(249));
    // Stop while later writes may still be in flight: the acknowledged prefix must survive.
    kit.shutdownTestKit();
    long acknowledged =
        stages.stream().filter(stage -> stage.toCompletableFuture().isDone()).count();
    long succeeded =
        stages.stream()
            .filter(stage -> stage.toCompletableFuture().isDone())
            .filter(stage -> !stage.toCompletableFuture().isCompletedExceptionally())
            .count();
    kit = Journals.kit();

    List<LogEntry> log = recover(onRocksDb(kit, dir, "n1")).entries();

    assertThat(acknowledged).isEqualTo(500); // none left hanging by the stop
    assertThat((long) log.size()).isGreaterThanOrEqualTo(succeeded).isGreaterThanOrEqualTo(250);
    assertLog(log, entries(1, log.size(), 1));
  }

  @Test
  void aHundredThousandEntryLogRecovers() {
    kit = Journals.kit();
    JournaledRaftStorage storage = onRocksDb(kit, dir, "n1");
    recover(storage);
    int total = 100_000;
    CompletionStage<Void> last = null;
    long writeStart = System.nanoTime();
    for (int first = 1; first <= total; first += 100) {
      last = storage.appendEntries(entries(first, first + 99, 1));
    }
    await(last);
    long writeMillis = (System.nanoTime() - writeStart) / 1_000_000;
    JournaledRaftStorage.Statistics written = storage.statistics();

    restartSystem();
    long start = System.nanoTime();
    RecoveredState recovered = recover(onRocksDb(kit, dir, "n1"));
    long millis = (System.nanoTime() - start) / 1_000_000;

    System.out.printf(
        "100k entries: written in %d ms as %d journal writes; recovered in %d ms%n",
        writeMillis, written.journalWrites(), millis);
    assertThat(recovered.entries()).hasSize(total);
    for (int i = 0; i < total; i += 997) {
      assertThat(recovered.entries().get(i)).isEqualTo(entry(i + 1, 1));
    }
  }

  @Test
  void aCorruptJournalFailsRecoveryNamingThePersistenceId() throws Exception {
    kit = Journals.kit();
    JournaledRaftStorage storage = onRocksDb(kit, dir, "n1");
    recover(storage);
    await(storage.appendEntries(entries(1, 1, 1)));
    await(storage.appendEntries(entries(2, 2, 1)));
    await(storage.appendEntries(entries(3, 3, 1)));
    kit.shutdownTestKit();
    kit = null;
    JournalSurgery.flipLastByte(
        dir.resolve(JournaledRaftStorage.JOURNAL_DIR).toAbsolutePath().normalize(),
        storage.persistenceId(),
        2);

    kit = Journals.kit(ConfigFactory.empty());
    CompletionStage<RecoveredState> recovery = onRocksDb(kit, dir, "n1").recover();

    assertThat(recovery.toCompletableFuture())
        .failsWithin(Journals.TIMEOUT)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause()
        .isInstanceOf(JournaledStorageException.class)
        .withMessageContaining("Cannot recover")
        .withMessageContaining("keel-raft|test-group|n1")
        .withMessageContaining("checksum mismatch");
  }
}
