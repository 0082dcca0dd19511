package dev.keel.raft.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.TestCommands;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.RecoveredState;
import dev.keel.raft.persistence.SnapshotMetadata;
import dev.keel.raft.persistence.StoredSnapshot;
import dev.keel.raft.persistence.TermAndVote;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PowerLossStorageTest {

  /** Holds every fsync until the test runs it. */
  private static final class ManualSyncer extends ScheduledThreadPoolExecutor {
    private final List<Runnable> due = new ArrayList<>();

    ManualSyncer() {
      super(1);
    }

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
      due.add(task);
      return super.schedule(() -> {}, 1, TimeUnit.DAYS);
    }

    /** Runs the fsyncs scheduled so far; returns how many ran. */
    int sync() {
      List<Runnable> now;
      synchronized (this) {
        now = new ArrayList<>(due);
        due.clear();
      }
      now.forEach(Runnable::run);
      return now.size();
    }
  }

  private final ManualSyncer syncer = new ManualSyncer();
  private final PowerLossStorage storage =
      new PowerLossStorage(1, PowerLossStorage.DEFAULT_MAX_SYNC_DELAY, syncer);

  @AfterEach
  void stopSyncer() {
    syncer.shutdownNow();
  }

  private static List<LogEntry> entries(long from, long to, long term) {
    List<LogEntry> out = new ArrayList<>();
    for (long index = from; index <= to; index++) {
      out.add(new LogEntry(index, term, TestCommands.text("cmd-" + index)));
    }
    return out;
  }

  private static RecoveredState recovered(PowerLossStorage storage) {
    return storage.recover().toCompletableFuture().join();
  }

  private static boolean failedByPowerCut(CompletionStage<Void> stage) {
    CompletableFuture<Void> future = stage.toCompletableFuture();
    if (!future.isCompletedExceptionally()) {
      return false;
    }
    try {
      future.join();
      return false;
    } catch (CompletionException e) {
      return e.getCause() instanceof PowerLossStorage.PowerOffException;
    }
  }

  @Test
  void writesCompleteOnlyOnceSyncedAndOneFsyncSyncsEverythingPending() {
    CompletionStage<Void> vote = storage.saveTermAndVote(new TermAndVote(1, "n1"));
    CompletionStage<Void> append = storage.appendEntries(entries(1, 3, 1));

    assertThat(vote.toCompletableFuture()).isNotDone();
    assertThat(append.toCompletableFuture()).isNotDone();
    assertThat(storage.syncedEntries()).isEmpty();
    assertThat(storage.unsyncedWrites()).isEqualTo(2);

    assertThat(syncer.sync()).as("one fsync for both writes (group commit)").isEqualTo(1);
    assertThat(vote.toCompletableFuture()).isCompletedWithValue(null);
    assertThat(append.toCompletableFuture()).isCompletedWithValue(null);
    assertThat(storage.syncedEntries()).isEqualTo(entries(1, 3, 1));
    assertThat(storage.syncedTermAndVote()).isEqualTo(new TermAndVote(1, "n1"));
    assertThat(storage.fsyncs()).isEqualTo(1);
    assertThat(storage.syncedWrites()).isEqualTo(2);
  }

  @Test
  void powerCutLosesUnsyncedWritesFailsTheirStagesAndRecoverReturnsSyncedStateOnly() {
    storage.saveTermAndVote(new TermAndVote(1, "n1"));
    storage.appendEntries(entries(1, 2, 1));
    syncer.sync();
    CompletionStage<Void> vote = storage.saveTermAndVote(new TermAndVote(2, "n2"));
    CompletionStage<Void> append = storage.appendEntries(entries(3, 5, 2));
    CompletionStage<Void> truncate = storage.appendEntries(entries(2, 2, 2));

    assertThat(storage.powerCut()).isEqualTo(3);

    assertThat(List.of(vote, append, truncate)).allMatch(PowerLossStorageTest::failedByPowerCut);
    assertThat(syncer.sync()).as("the fsync scheduled before the cut still runs").isEqualTo(1);
    assertThat(vote.toCompletableFuture().isCompletedExceptionally()).isTrue();
    assertThat(storage.lostWrites()).isEqualTo(3);
    assertThat(storage.lostPerCut()).containsExactly(3);
    assertThat(storage.lastCutLost())
        .containsExactly(
            "term and vote TermAndVote[term=2, votedFor=n2]",
            "entries 3..5 of term 2",
            "entries 2..2 of term 2");
    RecoveredState state = recovered(storage);
    assertThat(state.termAndVote()).isEqualTo(new TermAndVote(1, "n1"));
    assertThat(state.entries()).isEqualTo(entries(1, 2, 1));
  }

  @Test
  void writesFailAtOnceWhileThePowerIsOffAndWorkAgainAfterRecover() {
    storage.powerCut();
    assertThat(storage.isPoweredOn()).isFalse();

    CompletionStage<Void> refused = storage.appendEntries(entries(1, 1, 1));
    assertThat(failedByPowerCut(refused)).isTrue();
    assertThat(syncer.sync()).as("nothing was queued").isZero();
    assertThat(storage.rejectedWrites()).isEqualTo(1);
    assertThat(storage.powerCut()).as("a second cut while off does nothing").isZero();
    assertThat(storage.powerCuts()).isEqualTo(1);

    assertThat(recovered(storage).entries()).isEmpty();
    CompletionStage<Void> accepted = storage.appendEntries(entries(1, 1, 1));
    syncer.sync();
    assertThat(accepted.toCompletableFuture()).isCompletedWithValue(null);
    assertThat(storage.syncedEntries()).isEqualTo(entries(1, 1, 1));
  }

  @Test
  void recoverWithoutAPowerCutKeepsThePageCacheAsAProcessKillDoes() {
    CompletionStage<Void> append = storage.appendEntries(entries(1, 2, 1));

    RecoveredState state = recovered(storage);

    assertThat(state.entries()).isEqualTo(entries(1, 2, 1));
    assertThat(append.toCompletableFuture()).isCompletedWithValue(null);
    assertThat(storage.lostWrites()).isZero();
  }

  @Test
  void snapshotsSyncLikeEveryOtherWrite() {
    storage.appendEntries(entries(1, 4, 1));
    StoredSnapshot snapshot =
        new StoredSnapshot(new SnapshotMetadata(3, 1, List.of("n1")), new byte[] {1});
    CompletionStage<Void> saved = storage.saveSnapshot(snapshot, true);
    assertThat(saved.toCompletableFuture()).isNotDone();

    syncer.sync();

    assertThat(saved.toCompletableFuture()).isCompletedWithValue(null);
    assertThat(storage.syncedSnapshot()).isEqualTo(snapshot);
    assertThat(storage.syncedEntries()).isEqualTo(entries(4, 4, 1));
  }

  @Test
  void aWriteTheInnerStorageRefusesFailsAtItsFsync() {
    CompletionStage<Void> gap = storage.appendEntries(entries(5, 5, 1));
    assertThat(gap.toCompletableFuture()).isNotDone();
    syncer.sync();
    assertThat(gap.toCompletableFuture()).isCompletedExceptionally();
  }

  /**
   * With real fsync timing: a stream of appends cut at a random moment. Every write that completed
   * successfully is in the recovered log, every other one failed with a power cut, the recovered
   * log is a prefix of what was written, and stages completed in issue order.
   */
  @Test
  void underRealTimingAnAcknowledgedWriteIsNeverLostAndALostOneNeverAcknowledged() {
    long lost = 0;
    for (long seed = 0; seed < 40; seed++) {
      lost += cutDuringAppends(seed);
    }
    assertThat(lost).as("some rounds cut with unsynced writes").isPositive();
  }

  private static long cutDuringAppends(long seed) {
    PowerLossStorage storage = new PowerLossStorage(seed);
    SplittableRandom random = new SplittableRandom(seed);
    List<CompletionStage<Void>> stages = new ArrayList<>();
    List<Long> completionOrder = Collections.synchronizedList(new ArrayList<>());
    int writes = 20 + random.nextInt(40);
    int syncedBefore = random.nextInt(writes);
    for (int i = 1; i <= writes; i++) {
      long index = i;
      CompletionStage<Void> stage = storage.appendEntries(entries(index, index, 1));
      stage.whenComplete((ok, failure) -> completionOrder.add(index));
      stages.add(stage);
      if (i == syncedBefore) {
        Await.until(
            "writes synced, seed " + seed,
            Duration.ofSeconds(5),
            () -> storage.syncedWrites() == index);
      }
    }
    int lost = storage.powerCut();

    List<LogEntry> durable = recovered(storage).entries();
    assertThat(durable).as("a prefix, seed %d", seed).isEqualTo(entries(1, durable.size(), 1));
    assertThat(durable.size()).as("seed %d", seed).isGreaterThanOrEqualTo(syncedBefore);
    for (int i = 0; i < writes; i++) {
      CompletableFuture<Void> future = stages.get(i).toCompletableFuture();
      if (i < durable.size()) {
        assertThat(future).as("synced write %d, seed %d", i + 1, seed).isCompletedWithValue(null);
      } else {
        assertThat(failedByPowerCut(stages.get(i)))
            .as("lost write %d, seed %d", i + 1, seed)
            .isTrue();
      }
    }
    assertThat(lost).as("seed %d", seed).isEqualTo(writes - durable.size());
    assertThat(completionOrder).as("completion order, seed %d", seed).isSorted().hasSize(writes);
    return lost;
  }
}
