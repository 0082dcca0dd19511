package dev.keel.raft.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.TestCommands;
import dev.keel.raft.persistence.InMemoryRaftStorage;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.RaftStorage;
import dev.keel.raft.persistence.RecoveredState;
import dev.keel.raft.persistence.SnapshotMetadata;
import dev.keel.raft.persistence.StoredSnapshot;
import dev.keel.raft.persistence.TermAndVote;
import dev.keel.raft.testkit.CrashPointStorage.Firing;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CrashPointStorageTest {

  private final InMemoryRaftStorage disk = new InMemoryRaftStorage();
  private final CrashPointStorage storage = new CrashPointStorage(disk);
  // The firing, and the thread the crash callback ran on.
  private final CompletableFuture<Firing> crashed = new CompletableFuture<>();
  private final CompletableFuture<String> callbackThread = new CompletableFuture<>();

  private void arm(CrashPoint point) {
    storage.arm(
        point,
        firing -> {
          callbackThread.complete(Thread.currentThread().getName());
          crashed.complete(firing);
        });
  }

  private Firing awaitCrash() throws Exception {
    return crashed.get(5, TimeUnit.SECONDS);
  }

  private static List<LogEntry> entries(long from, long to, long term) {
    List<LogEntry> out = new ArrayList<>();
    for (long index = from; index <= to; index++) {
      out.add(new LogEntry(index, term, TestCommands.text("cmd-" + index)));
    }
    return out;
  }

  private static StoredSnapshot snapshot(long index) {
    return new StoredSnapshot(new SnapshotMetadata(index, 1, List.of("n1")), new byte[] {1});
  }

  private static boolean done(CompletionStage<Void> stage) {
    return stage.toCompletableFuture().isDone();
  }

  private RecoveredState recover() {
    return storage.recover().toCompletableFuture().join();
  }

  @Test
  void passesEverythingThroughWhileUnarmed() {
    assertThat(done(storage.saveTermAndVote(new TermAndVote(1, "n1")))).isTrue();
    assertThat(done(storage.appendEntries(entries(1, 3, 1)))).isTrue();
    assertThat(done(storage.saveSnapshot(snapshot(2), true))).isTrue();

    assertThat(recover().entries()).containsExactlyElementsOf(entries(3, 3, 1));
    assertThat(storage.hasFired()).isFalse();
  }

  @Test
  void anAppendThatBecameDurableIsNeverAnsweredAndLaterWritesNeverReachTheDisk() throws Exception {
    storage.appendEntries(entries(1, 1, 1));
    arm(CrashPoint.AFTER_APPEND_DURABLE);

    CompletionStage<Void> fatal = storage.appendEntries(entries(2, 3, 1));
    Firing firing = awaitCrash();
    CompletionStage<Void> later = storage.appendEntries(entries(4, 4, 1));
    CompletionStage<Void> vote = storage.saveTermAndVote(new TermAndVote(2, "n2"));

    assertThat(firing.point()).isEqualTo(CrashPoint.AFTER_APPEND_DURABLE);
    assertThat(firing.index()).isEqualTo(3);
    assertThat(firing.term()).isEqualTo(1);
    assertThat(firing.write()).isEqualTo("entries 2..3 of term 1");
    assertThat(callbackThread.get()).isEqualTo("keel-crash-point");
    assertThat(done(fatal)).as("the peer never hears of the durable append").isFalse();
    assertThat(done(later)).isFalse();
    assertThat(done(vote)).isFalse();
    assertThat(disk.entries()).as("durable: the append; not: what followed").hasSize(3);
    assertThat(disk.termAndVote()).isEqualTo(TermAndVote.INITIAL);
    assertThat(storage.swallowedWrites()).isEqualTo(2);
    assertThat(storage.isCrashed()).isTrue();
    assertThat(storage.armed()).as("a point fires once").isNull();

    assertThat(recover().entries()).containsExactlyElementsOf(entries(1, 3, 1));
    assertThat(storage.lastRecovered().entries()).hasSize(3);
    assertThat(storage.isCrashed()).isFalse();
    assertThat(done(storage.appendEntries(entries(4, 4, 1)))).as("writes on again").isTrue();
    assertThat(storage.firings()).containsExactly(firing);
  }

  @Test
  void onlyATermAndVoteCarryingAVoteReachesTheVotePoint() throws Exception {
    arm(CrashPoint.AFTER_VOTE_DURABLE);

    assertThat(done(storage.saveTermAndVote(new TermAndVote(2, null)))).isTrue();
    CompletionStage<Void> vote = storage.saveTermAndVote(new TermAndVote(2, "n3"));

    Firing firing = awaitCrash();
    assertThat(firing.term()).isEqualTo(2);
    assertThat(firing.votedFor()).isEqualTo("n3");
    assertThat(done(vote)).as("the vote is never answered").isFalse();
    assertThat(disk.termAndVote()).as("yet it is durable").isEqualTo(new TermAndVote(2, "n3"));
  }

  @Test
  void midAppendHandsTheAppendOverAndNoPendingWriteIsAnsweredAfterwards() throws Exception {
    HeldStorage held = new HeldStorage();
    CrashPointStorage wrapper = new CrashPointStorage(held);
    CompletionStage<Void> earlier = wrapper.appendEntries(entries(1, 1, 1));
    wrapper.arm(CrashPoint.MID_APPEND, crashed::complete);

    CompletionStage<Void> handed = wrapper.appendEntries(entries(2, 2, 1));
    awaitCrash();
    held.completeAll();

    assertThat(held.writes).as("the append was handed over").hasSize(2);
    assertThat(done(handed)).isFalse();
    assertThat(done(earlier)).as("issued before the crash, durable after it").isFalse();
  }

  @Test
  void aSnapshotReachesTheSavedOrTheInstalledPointByWhetherLaterEntriesStay() throws Exception {
    storage.appendEntries(entries(1, 4, 1));
    arm(CrashPoint.AFTER_SNAPSHOT_INSTALLED);

    assertThat(done(storage.saveSnapshot(snapshot(2), true))).as("a local snapshot").isTrue();
    CompletionStage<Void> installed = storage.saveSnapshot(snapshot(3), false);

    Firing firing = awaitCrash();
    assertThat(firing.point()).isEqualTo(CrashPoint.AFTER_SNAPSHOT_INSTALLED);
    assertThat(firing.index()).isEqualTo(3);
    assertThat(done(installed)).isFalse();
    assertThat(recover().snapshot()).isEqualTo(snapshot(3));
  }

  @Test
  void anArmedPointThatHasNotFiredStaysArmedAcrossARestart() throws Exception {
    arm(CrashPoint.AFTER_SNAPSHOT_SAVED);
    recover();

    assertThat(storage.armed()).isEqualTo(CrashPoint.AFTER_SNAPSHOT_SAVED);
    storage.appendEntries(entries(1, 2, 1));
    storage.saveSnapshot(snapshot(2), true);
    assertThat(awaitCrash().point()).isEqualTo(CrashPoint.AFTER_SNAPSHOT_SAVED);
  }

  /** A storage whose writes complete only when the test says so. */
  private static final class HeldStorage implements RaftStorage {
    final List<CompletableFuture<Void>> writes = new ArrayList<>();

    private CompletionStage<Void> hold() {
      CompletableFuture<Void> write = new CompletableFuture<>();
      writes.add(write);
      return write;
    }

    void completeAll() {
      writes.forEach(write -> write.complete(null));
    }

    @Override
    public CompletionStage<RecoveredState> recover() {
      return CompletableFuture.completedFuture(RecoveredState.EMPTY);
    }

    @Override
    public CompletionStage<Void> saveTermAndVote(TermAndVote termAndVote) {
      return hold();
    }

    @Override
    public CompletionStage<Void> appendEntries(List<LogEntry> entries) {
      return hold();
    }

    @Override
    public CompletionStage<Void> saveSnapshot(StoredSnapshot snapshot, boolean keepLaterEntries) {
      return hold();
    }

    @Override
    public void close() {}
  }
}
