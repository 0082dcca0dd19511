package dev.keel.raft.persistence.journal;

import static dev.keel.raft.persistence.journal.JournaledRaftStorageWritePathTest.assertFailure;
import static dev.keel.raft.persistence.journal.Journals.await;
import static dev.keel.raft.persistence.journal.Journals.entries;
import static dev.keel.raft.persistence.journal.Journals.entry;
import static dev.keel.raft.persistence.journal.Journals.recover;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.keel.raft.persistence.RecoveredState;
import dev.keel.raft.persistence.TermAndVote;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed write fails itself and every later write, and no stage is left waiting: journal
 * failures, rejected events, stopped actors, closed storage, terminated systems, bad recoveries.
 */
class JournaledRaftStorageFailureTest {

  @TempDir Path dir;

  private ActorTestKit kit;
  private final String pluginId = Journals.faultyPluginId();
  private final FaultyJournal.Control control = FaultyJournal.control(pluginId);

  @AfterEach
  void shutdown() {
    if (kit != null) {
      kit.shutdownTestKit();
    }
  }

  private JournaledRaftStorage faultyStorage() {
    kit = Journals.kit();
    JournaledRaftStorage storage = Journals.onFaulty(kit, pluginId, "n1");
    recover(storage);
    return storage;
  }

  private void awaitHeld(int writes) throws InterruptedException {
    control.awaitHeld(writes, Journals.TIMEOUT);
  }

  @Test
  void aFailedJournalWriteFailsThatWriteAndEveryLaterOneInOrder() throws Exception {
    JournaledRaftStorage storage = faultyStorage();
    await(storage.appendEntries(entries(1, 1, 1)));
    control.hold();
    control.failNextWrites(1);
    List<CompletableFuture<Void>> stages = new ArrayList<>();
    stages.add(storage.appendEntries(entries(2, 2, 1)).toCompletableFuture());
    awaitHeld(1);
    stages.add(storage.saveTermAndVote(new TermAndVote(2, "n2")).toCompletableFuture());
    stages.add(storage.appendEntries(entries(3, 3, 1)).toCompletableFuture());
    List<Integer> order = Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < stages.size(); i++) {
      int position = i;
      stages.get(i).whenComplete((ok, failure) -> order.add(position));
    }

    control.release();

    for (CompletableFuture<Void> stage : stages) {
      assertFailure(stage, JournaledStorageException.class)
          .contains("The journal write failed")
          .contains("keel-raft|test-group|n1")
          .contains("injected journal write failure");
    }
    assertThat(order).containsExactly(0, 1, 2);
    // Later writes fail at once with the same failure, until a new recovery.
    assertFailure(storage.appendEntries(entries(2, 2, 1)), JournaledStorageException.class)
        .contains("The journal write failed");

    RecoveredState recovered = recover(storage);
    assertThat(recovered.entries()).containsExactlyElementsOf(entries(1, 1, 1));
    assertThat(recovered.termAndVote()).isEqualTo(TermAndVote.INITIAL);
    await(storage.appendEntries(entries(2, 2, 2)));
    assertThat(recover(storage).entries()).hasSize(2);
  }

  @Test
  void aRejectedWriteFailsThatWriteAndEveryLaterOne() {
    JournaledRaftStorage storage = faultyStorage();
    await(storage.appendEntries(entries(1, 1, 1)));

    control.rejectNextWrites(1);
    CompletionStage<Void> rejected = storage.appendEntries(entries(2, 2, 1));
    CompletionStage<Void> later = storage.appendEntries(entries(3, 3, 1));

    assertFailure(rejected, JournaledStorageException.class)
        .contains("rejected")
        .contains("keel-raft|test-group|n1")
        .contains("injected journal rejection");
    assertFailure(later, JournaledStorageException.class).contains("rejected");
    assertThat(recover(storage).entries()).containsExactlyElementsOf(entries(1, 1, 1));
  }

  @Test
  void closingFailsPendingWritesAndLaterCalls() throws Exception {
    JournaledRaftStorage storage = faultyStorage();
    control.hold();
    CompletionStage<Void> pending = storage.appendEntries(entries(1, 1, 1));
    CompletionStage<Void> queued = storage.appendEntries(entries(2, 2, 1));
    awaitHeld(1);

    storage.close();

    assertFailure(pending, JournaledStorageException.class).contains("closed");
    assertFailure(queued, JournaledStorageException.class).contains("closed");
    assertFailure(storage.appendEntries(entries(1, 1, 1)), JournaledStorageException.class)
        .contains("closed");
    assertFailure(storage.recover(), JournaledStorageException.class).contains("closed");
    control.release();
  }

  @Test
  void aTerminatingActorSystemFailsPendingWrites() throws Exception {
    JournaledRaftStorage storage = faultyStorage();
    control.hold();
    CompletionStage<Void> pending = storage.appendEntries(entries(1, 1, 1));
    awaitHeld(1);

    kit.shutdownTestKit();
    kit = null;

    assertFailure(pending, JournaledStorageException.class).contains("actor system stopped");
    assertFailure(storage.recover(), JournaledStorageException.class)
        .contains("actor system stopped");
    control.release();
  }

  @Test
  void recoveringAgainWhileWritesAreInFlightKeepsTheLogAConsecutivePrefix() {
    kit = Journals.kit();
    JournaledRaftStorage storage = Journals.onRocksDb(kit, dir, "n1");
    recover(storage);
    List<CompletableFuture<Void>> stages = new ArrayList<>();
    for (long index = 1; index <= 300; index++) {
      stages.add(storage.appendEntries(List.of(entry(index, 1))).toCompletableFuture());
    }

    // The peer crashed and restarts on the same storage: pending writes may or may not be durable.
    RecoveredState recovered = recover(storage);

    long succeeded = stages.stream().filter(stage -> !stage.isCompletedExceptionally()).count();
    assertThat(stages).allMatch(CompletableFuture::isDone);
    assertThat((long) recovered.entries().size()).isGreaterThanOrEqualTo(succeeded);
    assertThat(recovered.entries())
        .containsExactlyElementsOf(entries(1, recovered.entries().size(), 1));
    long next = recovered.entries().size() + 1;
    await(storage.appendEntries(entries(next, next, 2)));
    assertThat(recover(storage).entries()).hasSize((int) next);
  }

  @Test
  void aJournalThatNeverAnswersFailsTheWriteAfterItsCallTimeout() throws Exception {
    kit = Journals.kit();
    Config plugin =
        FaultyJournal.config(pluginId)
            .withFallback(
                ConfigFactory.parseMap(
                    Map.of(pluginId + ".circuit-breaker.call-timeout", "300ms")));
    JournaledRaftStorage storage =
        JournaledRaftStorage.builder(kit.system(), "g", "n1")
            .journalPlugin(pluginId, plugin)
            .build();
    recover(storage);
    control.hold();

    CompletionStage<Void> stuck = storage.appendEntries(entries(1, 1, 1));
    CompletionStage<Void> later = storage.appendEntries(entries(2, 2, 1));

    assertFailure(stuck, JournaledStorageException.class).contains("The journal write failed");
    assertFailure(later, JournaledStorageException.class).contains("The journal write failed");
    control.release();
  }

  @Test
  void anUnknownJournalPluginFailsRecoveryNamingIt() {
    kit = Journals.kit();
    JournaledRaftStorage storage =
        JournaledRaftStorage.builder(kit.system(), "g", "n1")
            .journalPlugin("no.such.plugin")
            .build();

    assertFailure(storage.recover(), JournaledStorageException.class)
        .contains("Cannot recover")
        .contains("keel-raft|g|n1")
        .contains("no.such.plugin");
  }

  @Test
  void anUndecodableEventFailsRecoveryNamingThePersistenceId() {
    JournaledRaftStorage storage = faultyStorage();
    await(storage.appendEntries(entries(1, 1, 1)));
    await(storage.appendEntries(entries(2, 2, 1)));
    control.corrupt(storage.persistenceId(), 2);

    assertFailure(storage.recover(), JournaledStorageException.class)
        .contains("Cannot recover")
        .contains("keel-raft|test-group|n1")
        .contains("Malformed Keel journal event");
  }
}
