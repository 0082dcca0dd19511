package dev.keel.raft.scripted;

import static dev.keel.raft.scripted.Scripts.append;
import static dev.keel.raft.scripted.Scripts.electLeader;
import static dev.keel.raft.scripted.Scripts.entry;
import static dev.keel.raft.scripted.Scripts.expectReaching;
import static dev.keel.raft.scripted.Scripts.noOp;
import static dev.keel.raft.scripted.Scripts.replicateAll;
import static dev.keel.raft.scripted.Scripts.success;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftPeer.ReadConsistency;
import dev.keel.raft.RaftReply;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.protocol.RaftMessage.AppendEntries;
import dev.keel.raft.protocol.RaftMessage.AppendEntriesResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The applier: committed entries applied in order, in batches, skipping no-ops; automatic
 * snapshots; and what happens to requests when the state machine fails.
 */
class ApplierScriptTest {

  @RegisterExtension static final ScriptedTestKit kit = new ScriptedTestKit();

  private static final List<LogEntry> MIXED =
      List.of(
          entry(1, 1, "a"),
          noOp(2, 2),
          entry(3, 2, "b"),
          entry(4, 2, "c"),
          entry(5, 2, "d"),
          entry(6, 2, "e"));

  @Test
  void appliesCommittedEntriesInOrderInBatchesSkippingNoOps() {
    try (ScriptedPeer a =
        ScriptedPeer.builder(kit).settings(ScriptedPeer.settings().withMaxApplyBatch(2)).start()) {
      a.deliver(append(2, "n2", 0, 0, MIXED, 6, 1));
      a.expect("n2", AppendEntriesResult.class);
      a.awaitApplied(6);
      assertThat(a.read("q", ReadConsistency.LOCAL).receiveMessage(ScriptedPeer.WAIT))
          .isEqualTo(new RaftReply.Ok<>(List.of("a", "b", "c", "d", "e"), 6));
      PeerStatus status = a.status();
      assertThat(status.lastApplied()).isEqualTo(6);
      assertThat(status.metrics().applied()).isEqualTo(6);
      assertThat(status.metrics().commits()).isEqualTo(6);
    }
  }

  @Test
  void appliesAsMuchAsIsCommittedAndTheRestLater() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      a.deliver(append(2, "n2", 0, 0, MIXED, 3, 1));
      a.expect("n2", AppendEntriesResult.class);
      a.awaitApplied(3);
      assertThat(a.read("q", ReadConsistency.LOCAL).receiveMessage(ScriptedPeer.WAIT))
          .isEqualTo(new RaftReply.Ok<>(List.of("a", "b"), 3));
      a.deliver(append(2, "n2", 6, 2, List.of(), 6, 2));
      a.expect("n2", AppendEntriesResult.class);
      a.awaitApplied(6);
      assertThat(a.status().metrics().applied()).isEqualTo(6);
    }
  }

  @Test
  void snapshotsAutomaticallyAfterExactlyTheConfiguredNumberOfEntries() {
    try (ScriptedPeer a =
        ScriptedPeer.builder(kit)
            .settings(ScriptedPeer.settings().withSnapshots(3, 64 * 1024))
            .start()) {
      a.deliver(append(2, "n2", 0, 0, MIXED.subList(0, 2), 2, 1));
      a.expect("n2", AppendEntriesResult.class);
      a.awaitApplied(2);
      a.status();
      assertThat(a.storage.issued("snapshot")).as("two entries: below the threshold").isEmpty();
      a.deliver(append(2, "n2", 2, 2, MIXED.subList(2, 3), 3, 2));
      a.expect("n2", AppendEntriesResult.class);
      a.awaitAssert(() -> assertThat(a.storage.issued("snapshot")).hasSize(1));
      assertThat(a.storage.inner().snapshot().metadata().lastIncludedIndex()).isEqualTo(3);
      assertThat(a.storage.inner().snapshot().metadata().lastIncludedTerm()).isEqualTo(2);
    }
  }

  @Test
  void aFailureAnswersEachWriteExactlyOnce() {
    // One command per applyBatch: "fine" is applied and answered before "boom" fails.
    try (ScriptedPeer a =
        ScriptedPeer.builder(kit)
            .settings(ScriptedPeer.settings().withMaxApplyBatch(1))
            .stateMachine(() -> new ListStateMachine(ListStateMachine.Fault.ERROR_ON_BOOM))
            .start()) {
      electLeader(a);
      replicateAll(a);
      a.storage.hold();
      TestProbe<RaftReply<Object>> fine = a.write("fine");
      TestProbe<RaftReply<Object>> boom = a.write("boom");
      a.status();
      a.storage.releaseAll();
      // Only the request reaching index 3 is answered: both commit together.
      AppendEntries both = expectReaching(a, "n2", 3);
      a.deliver(success(both, "n2"));
      assertThat(fine.receiveMessage(ScriptedPeer.WAIT)).isEqualTo(new RaftReply.Ok<>(1, 2));
      assertThat(boom.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.TimedOut.class);
      fine.expectNoMessage(ScriptedPeer.QUIET);
      a.watcher().expectTerminated(a.ref, ScriptedPeer.WAIT);
    }
  }

  @Test
  void aBatchThatFailsLeavesTheOutcomeOfEveryCommandInItUnknown() {
    try (ScriptedPeer a =
        ScriptedPeer.builder(kit)
            .stateMachine(() -> new ListStateMachine(ListStateMachine.Fault.ERROR_ON_BOOM))
            .start()) {
      electLeader(a);
      replicateAll(a);
      a.storage.hold();
      TestProbe<RaftReply<Object>> fine = a.write("fine");
      TestProbe<RaftReply<Object>> boom = a.write("boom");
      a.status();
      a.storage.releaseAll();
      AppendEntries both = expectReaching(a, "n2", 3);
      a.deliver(success(both, "n2"));
      // One applyBatch call holds both and throws: no command of it has a known result.
      assertThat(fine.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.TimedOut.class);
      assertThat(boom.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.TimedOut.class);
      fine.expectNoMessage(ScriptedPeer.QUIET);
      boom.expectNoMessage(ScriptedPeer.QUIET);
    }
  }

  @Test
  void aFailedStateMachineAnswersEverythingQueuedBehindTheFailure() {
    BlockingBoom machine = new BlockingBoom();
    try (ScriptedPeer a = ScriptedPeer.builder(kit).stateMachine(() -> machine).start()) {
      electLeader(a);
      replicateAll(a);
      TestProbe<RaftReply<Object>> boom = a.write("boom");
      a.deliver(success(a.expect("n2", AppendEntries.class), "n2"));
      machine.awaitApplying();
      // Behind the blocked apply, in the applier's mailbox: a read, a snapshot, a later write.
      TestProbe<RaftReply<Object>> read = a.read("q", ReadConsistency.LOCAL);
      TestProbe<RaftReply<Long>> snapshot = a.takeSnapshot();
      TestProbe<RaftReply<Object>> late = a.write("late");
      a.deliver(success(a.expect("n2", AppendEntries.class), "n2"));
      a.awaitAssert(() -> assertThat(a.status().commitIndex()).isEqualTo(3));
      machine.fail();
      assertThat(boom.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.TimedOut.class);
      assertThat(read.receiveMessage(ScriptedPeer.WAIT))
          .isInstanceOfSatisfying(
              RaftReply.Rejected.class,
              r -> assertThat(r.reason()).contains("the state machine failed"));
      assertThat(snapshot.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.Rejected.class);
      assertThat(late.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.TimedOut.class);
      a.watcher().expectTerminated(a.ref, ScriptedPeer.WAIT);
    }
  }

  @Test
  void anInstalledSnapshotCountsAsApplied() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      a.deliver(
          Scripts.chunk(2, "n2", 6, 2, a.members, 0, ListStateMachine.snapshotOf("s"), true, 1));
      a.expect("n2", dev.keel.raft.protocol.RaftMessage.InstallSnapshotResult.class);
      a.awaitApplied(6);
      assertThat(a.status().lastApplied()).isEqualTo(6);
    }
  }

  /** Blocks in apply("boom") until the test lets it fail with an error. */
  private static final class BlockingBoom extends ListStateMachine {
    private final CompletableFuture<Void> applying = new CompletableFuture<>();
    private final CompletableFuture<Void> release = new CompletableFuture<>();

    @Override
    public Object apply(String command) {
      if (command.equals("boom")) {
        applying.complete(null);
        release.join();
        throw new AssertionError("scripted failure after blocking");
      }
      return super.apply(command);
    }

    void awaitApplying() {
      applying.orTimeout(ScriptedPeer.WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    void fail() {
      release.complete(null);
    }
  }
}
