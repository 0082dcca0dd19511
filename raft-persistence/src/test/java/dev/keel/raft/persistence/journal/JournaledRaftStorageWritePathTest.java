package dev.keel.raft.persistence.journal;

import static dev.keel.raft.persistence.journal.Journals.await;
import static dev.keel.raft.persistence.journal.Journals.entries;
import static dev.keel.raft.persistence.journal.Journals.entry;
import static dev.keel.raft.persistence.journal.Journals.recover;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.RecoveredState;
import dev.keel.raft.persistence.TermAndVote;
import dev.keel.raft.persistence.rocksdb.JournalStatistics;
import dev.keel.raft.persistence.rocksdb.RocksDbStatistics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit, the ordering contract and write validation of {@link JournaledRaftStorage}. */
class JournaledRaftStorageWritePathTest {

  @TempDir Path dir;

  private ActorTestKit kit;

  @AfterEach
  void shutdown() {
    if (kit != null) {
      kit.shutdownTestKit();
    }
  }

  /**
   * Records, for each stage, whether every earlier stage was already complete when it completed.
   */
  private static List<String> orderViolations(List<CompletableFuture<Void>> stages) {
    List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < stages.size(); i++) {
      int index = i;
      stages
          .get(i)
          .whenComplete(
              (ok, failure) -> {
                for (int earlier = 0; earlier < index; earlier++) {
                  if (!stages.get(earlier).isDone()) {
                    violations.add("stage " + index + " completed before stage " + earlier);
                  }
                }
              });
    }
    return violations;
  }

  @Test
  void writesIssuedBackToBackShareJournalWritesAndCompleteInOrder() {
    kit = Journals.kit();
    JournaledRaftStorage storage = Journals.onRocksDb(kit, dir, "n1");
    recover(storage);
    int writes = 2_000;
    List<CompletableFuture<Void>> stages = new ArrayList<>();
    List<Integer> completionOrder = java.util.Collections.synchronizedList(new ArrayList<>());
    long nextIndex = 1;
    for (int i = 0; i < writes; i++) {
      CompletableFuture<Void> stage =
          i % 10 == 0
              ? storage.saveTermAndVote(new TermAndVote(i + 1, "n1")).toCompletableFuture()
              : storage.appendEntries(List.of(entry(nextIndex++, 1))).toCompletableFuture();
      int position = i;
      stage.thenRun(() -> completionOrder.add(position));
      stages.add(stage);
    }
    List<String> violations = orderViolations(stages);
    await(CompletableFuture.allOf(stages.toArray(CompletableFuture[]::new)));

    JournaledRaftStorage.Statistics statistics = storage.statistics();
    JournalStatistics journal =
        RocksDbStatistics.get(kit.system()).journal(storage.journalPluginId()).orElseThrow();
    System.out.printf(
        "group commit: %d writes -> %d journal writes (%.1f writes each); RocksDB: %d fsyncs,"
            + " %d atomic writes, %d events%n",
        writes,
        statistics.journalWrites(),
        statistics.writesPerJournalWrite(),
        journal.batches(),
        journal.atomicWrites(),
        journal.events());
    assertThat(violations).isEmpty();
    assertThat(completionOrder).isSorted().hasSize(writes);
    assertThat(statistics.writesDurable()).isEqualTo(writes);
    // Only the direction is asserted: how much batches depends on the machine's fsync latency.
    assertThat(statistics.journalWrites()).isLessThan(writes / 4);
    assertThat(journal.atomicWrites()).isEqualTo(statistics.journalWrites());
    assertThat(journal.batches()).isLessThanOrEqualTo(journal.atomicWrites());
  }

  @Test
  void everyWriteIssuedDuringAHeldJournalWriteGoesIntoTheNextOne() {
    kit = Journals.kit();
    String pluginId = Journals.faultyPluginId();
    FaultyJournal.Control control = FaultyJournal.control(pluginId);
    JournaledRaftStorage storage = Journals.onFaulty(kit, pluginId, "n1");
    recover(storage);
    control.hold();
    CompletableFuture<Void> first = storage.appendEntries(entries(1, 1, 1)).toCompletableFuture();
    List<CompletableFuture<Void>> rest = new ArrayList<>();
    for (long index = 2; index <= 101; index++) {
      rest.add(storage.appendEntries(List.of(entry(index, 1))).toCompletableFuture());
    }
    rest.add(storage.saveTermAndVote(new TermAndVote(2, "n3")).toCompletableFuture());
    awaitHeld(control, 1);
    assertThat(first).isNotDone();

    control.release();
    await(CompletableFuture.allOf(rest.toArray(CompletableFuture[]::new)));

    assertThat(first).isDone();
    assertThat(control.atomicWrites()).isEqualTo(2);
    assertThat(storage.statistics()).isEqualTo(new JournaledRaftStorage.Statistics(102, 102, 2, 0));
    RecoveredState recovered = recover(storage);
    assertThat(recovered.entries()).containsExactlyElementsOf(entries(1, 101, 1));
    assertThat(recovered.termAndVote()).isEqualTo(new TermAndVote(2, "n3"));
  }

  @Test
  void batchesAreBoundedByMaxBatchEntries() {
    kit = Journals.kit();
    String pluginId = Journals.faultyPluginId();
    FaultyJournal.Control control = FaultyJournal.control(pluginId);
    JournaledRaftStorage storage =
        JournaledRaftStorage.builder(kit.system(), Journals.GROUP, "n1")
            .journalPlugin(pluginId, FaultyJournal.config(pluginId))
            .maxBatchEntries(10)
            .build();
    recover(storage);
    control.hold();
    storage.appendEntries(entries(1, 1, 1));
    awaitHeld(control, 1);
    CompletionStage<Void> last = null;
    for (long index = 2; index <= 31; index++) {
      last = storage.appendEntries(List.of(entry(index, 1)));
    }
    // A single append above the limit still goes, alone.
    CompletionStage<Void> big = storage.appendEntries(entries(32, 56, 1));
    control.release();
    await(last);
    await(big);

    assertThat(control.atomicWrites()).isEqualTo(1 + 3 + 1);
    assertThat(recover(storage).entries()).hasSize(56);
  }

  private static void awaitHeld(FaultyJournal.Control control, int writes) {
    try {
      control.awaitHeld(writes, Journals.TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void invalidWritesFailAloneAndAreNotIssued() {
    kit = Journals.kit();
    JournaledRaftStorage storage = Journals.onRocksDb(kit, dir, "n1");
    recover(storage);
    await(storage.saveTermAndVote(new TermAndVote(5, null)));
    await(storage.appendEntries(entries(1, 2, 5)));

    assertFailure(storage.saveTermAndVote(new TermAndVote(4, null)), IllegalArgumentException.class)
        .contains("term must not decrease");
    assertFailure(storage.appendEntries(entries(4, 4, 5)), IllegalArgumentException.class)
        .contains("gap");
    assertFailure(storage.appendEntries(List.of()), IllegalArgumentException.class)
        .contains("no entries");
    List<LogEntry> skipping = List.of(entry(3, 5), entry(5, 5));
    assertFailure(storage.appendEntries(skipping), IllegalArgumentException.class)
        .contains("not consecutive");

    await(storage.appendEntries(entries(3, 3, 5)));
    assertThat(recover(storage).entries()).hasSize(3);
    assertThat(storage.statistics().writesIssued()).isEqualTo(3);
  }

  @Test
  void writesBeforeRecoveryFail() {
    kit = Journals.kit();
    JournaledRaftStorage storage = Journals.onRocksDb(kit, dir, "n1");

    assertFailure(storage.appendEntries(entries(1, 1, 1)), IllegalStateException.class)
        .contains("recover() was not called");
  }

  @Test
  void theDefaultJournalPluginIsUsedWhenNoneIsNamed() {
    kit =
        Journals.kit(
            ConfigFactory.parseString(
                "pekko.persistence.journal.plugin = pekko.persistence.journal.inmem\n"
                    + "pekko.persistence.journal.inmem.test-serialization = on"));
    JournaledRaftStorage storage = JournaledRaftStorage.create(kit.system(), "g", "n1");
    assertThat(storage.persistenceId()).isEqualTo("keel-raft|g|n1");
    assertThat(storage.journalPluginId()).isEmpty();
    recover(storage);
    await(storage.appendEntries(entries(1, 2, 1)));

    assertThat(recover(storage).entries()).containsExactlyElementsOf(entries(1, 2, 1));
  }

  static org.assertj.core.api.AbstractStringAssert<?> assertFailure(
      CompletionStage<?> stage, Class<? extends Throwable> type) {
    ExecutionException failure =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            ExecutionException.class,
            () ->
                stage
                    .toCompletableFuture()
                    .get(Journals.TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
    assertThat(failure).as("a failed stage").isNotNull();
    assertThat(failure.getCause()).isInstanceOf(type);
    return assertThat(failure.getCause().getMessage());
  }
}
