package dev.keel.raft.scripted;

import static dev.keel.raft.scripted.Scripts.append;
import static dev.keel.raft.scripted.Scripts.electLeader;
import static dev.keel.raft.scripted.Scripts.entry;
import static dev.keel.raft.scripted.Scripts.replicate;
import static dev.keel.raft.scripted.Scripts.replicateAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftPeer.ReadConsistency;
import dev.keel.raft.RaftReply;
import dev.keel.raft.protocol.RaftMessage.AppendEntries;
import dev.keel.raft.protocol.RaftMessage.AppendEntriesResult;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A peer's life: recovery (requests held meanwhile), a graceful stop, and the failures after which
 * it stops by itself; every request gets exactly one answer throughout.
 */
class LifecycleScriptTest {

  @RegisterExtension static final ScriptedTestKit kit = new ScriptedTestKit();

  @Test
  void aStopAnswersEverythingPendingThenStops() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      electLeader(a);
      replicateAll(a);
      TestProbe<RaftReply<Object>> write = a.write("x");
      TestProbe<RaftReply<Object>> read = a.read("q", ReadConsistency.LINEARIZABLE);
      TestProbe<Done> stopped = kit.createTestProbe();
      a.ref.tell(new RaftPeer.Stop(stopped.ref()));
      assertThat(write.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.TimedOut.class);
      assertThat(read.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.NoLeader.class);
      stopped.expectMessage(ScriptedPeer.WAIT, Done.getInstance());
      a.watcher().expectTerminated(a.ref, ScriptedPeer.WAIT);
    }
  }

  @Test
  void requestsWhileTheStateMachineFinishesAreAnsweredNoLeader() {
    SlowStateMachine slow = new SlowStateMachine();
    try (ScriptedPeer a = ScriptedPeer.builder(kit).stateMachine(() -> slow).start()) {
      electLeader(a);
      replicateAll(a);
      TestProbe<RaftReply<Object>> committed = a.write("x");
      replicate(a, "n2", 2);
      slow.awaitApplying();
      TestProbe<Done> stopped = kit.createTestProbe();
      a.ref.tell(new RaftPeer.Stop(stopped.ref()));
      TestProbe<RaftReply<Object>> late = a.write("y");
      assertThat(late.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.NoLeader.class);
      assertThat(a.read("q", ReadConsistency.LOCAL).receiveMessage(ScriptedPeer.WAIT))
          .isInstanceOf(RaftReply.NoLeader.class);
      assertThat(a.takeSnapshot().receiveMessage(ScriptedPeer.WAIT))
          .isInstanceOf(RaftReply.Rejected.class);
      assertThat(a.status().role()).isEqualTo(PeerStatus.Role.FOLLOWER);
      TestProbe<Done> alsoStopped = kit.createTestProbe();
      a.ref.tell(new RaftPeer.Stop(alsoStopped.ref()));
      slow.finish();
      // The committed write was applied before the peer stopped: its real answer.
      assertThat(committed.receiveMessage(ScriptedPeer.WAIT)).isEqualTo(new RaftReply.Ok<>(1, 2));
      stopped.expectMessage(ScriptedPeer.WAIT, Done.getInstance());
      alsoStopped.expectMessage(ScriptedPeer.WAIT, Done.getInstance());
    }
  }

  @Test
  void aStateMachineThatNeverReturnsDoesNotKeepAStoppingPeerAlive() {
    SlowStateMachine stuck = new SlowStateMachine();
    try (ScriptedPeer a = ScriptedPeer.builder(kit).stateMachine(() -> stuck).start()) {
      electLeader(a);
      replicateAll(a);
      TestProbe<RaftReply<Object>> committed = a.write("x");
      replicate(a, "n2", 2);
      stuck.awaitApplying();
      TestProbe<Done> stopped = kit.createTestProbe();
      a.ref.tell(new RaftPeer.Stop(stopped.ref()));
      a.advance(ScriptedPeer.REQUEST_TIMEOUT);
      assertThat(committed.receiveMessage(ScriptedPeer.WAIT))
          .isInstanceOf(RaftReply.TimedOut.class);
      stopped.expectMessage(ScriptedPeer.WAIT, Done.getInstance());
      stuck.finish();
    }
  }

  @Test
  void anErrorEscapingTheStateMachineStopsThePeerAnsweringItsClients() {
    try (ScriptedPeer a =
        ScriptedPeer.builder(kit)
            .stateMachine(() -> new ListStateMachine(ListStateMachine.Fault.ERROR_ON_BOOM))
            .start()) {
      electLeader(a);
      replicateAll(a);
      TestProbe<RaftReply<Object>> boom = a.write("boom");
      // The peer stops as soon as the entry commits: answer without waiting for its status.
      a.deliver(Scripts.success(a.expect("n2", AppendEntries.class), "n2"));
      assertThat(boom.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.TimedOut.class);
      a.watcher().expectTerminated(a.ref, ScriptedPeer.WAIT);
    }
  }

  @Test
  void aCommandTheStateMachineRefusesIsRejectedAndThePeerGoesOn() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      electLeader(a);
      replicateAll(a);
      TestProbe<RaftReply<Object>> refused = a.write("reject-this");
      TestProbe<RaftReply<Object>> fine = a.write("fine");
      replicate(a, "n2", 3);
      assertThat(refused.receiveMessage(ScriptedPeer.WAIT))
          .isInstanceOfSatisfying(
              RaftReply.Rejected.class,
              r -> assertThat(r.reason()).contains("refused reject-this"));
      assertThat(fine.receiveMessage(ScriptedPeer.WAIT)).isEqualTo(new RaftReply.Ok<>(1, 3));
    }
  }

  @Test
  void aSnapshotTheFollowerCannotRestoreStopsIt() {
    try (ScriptedPeer a =
        ScriptedPeer.builder(kit)
            .stateMachine(() -> new ListStateMachine(ListStateMachine.Fault.RESTORE_FAILS))
            .start()) {
      a.deliver(
          Scripts.chunk(1, "n2", 3, 1, a.members, 0, ListStateMachine.snapshotOf("s"), true, 1));
      a.watcher().expectTerminated(a.ref, ScriptedPeer.WAIT);
    }
  }

  @Test
  void aCommittedCommandNoSerializerCanReadStopsThePeer() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      var unreadable =
          new dev.keel.raft.persistence.LogEntry(
              1,
              1,
              new dev.keel.raft.persistence.EntryPayload.UserCommand(987_654, "?", new byte[] {1}));
      a.deliver(append(1, "n2", 0, 0, List.of(unreadable), 1, 1));
      a.watcher().expectTerminated(a.ref, ScriptedPeer.WAIT);
    }
  }

  @Test
  void requestsArrivingDuringRecoveryAreServedOnceRecovered() {
    ScriptedStorage storage = new ScriptedStorage();
    storage.holdRecovery();
    try (ScriptedPeer a = ScriptedPeer.builder(kit).storage(storage).start()) {
      TestProbe<RaftReply<Object>> early = a.write("x");
      early.expectNoMessage(ScriptedPeer.QUIET);
      storage.releaseRecovery();
      assertThat(early.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.NoLeader.class);
    }
  }

  @Test
  void aPeerWhoseStorageCannotRecoverAnswersWhatItHeldAndStops() {
    ScriptedStorage storage = new ScriptedStorage();
    storage.holdRecovery();
    ScriptedPeer a = ScriptedPeer.builder(kit).storage(storage).start();
    TestProbe<RaftReply<Object>> early = a.write("x");
    TestProbe<RaftReply<Long>> snapshot = a.takeSnapshot();
    TestProbe<Done> stop = kit.createTestProbe();
    a.ref.tell(new RaftPeer.Stop(stop.ref()));
    storage.failRecovery(new IOException("scripted unreadable journal"));
    assertThat(early.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.NoLeader.class);
    assertThat(snapshot.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.Rejected.class);
    stop.expectMessage(ScriptedPeer.WAIT, Done.getInstance());
    a.watcher().expectTerminated(a.ref, ScriptedPeer.WAIT);
  }

  @Test
  void requestsBeyondTheRecoveryBufferAreRefusedNotDropped() {
    ScriptedStorage storage = new ScriptedStorage();
    storage.holdRecovery();
    try (ScriptedPeer a = ScriptedPeer.builder(kit).storage(storage).start()) {
      TestProbe<RaftReply<Object>> client = kit.createTestProbe();
      for (int i = 0; i <= 10_000; i++) {
        a.ref.tell(new RaftPeer.Write<>("w" + i, client.ref()));
      }
      TestProbe<Done> stop = kit.createTestProbe();
      a.ref.tell(new RaftPeer.Stop(stop.ref()));
      // The buffer holds 10,000: the last write and anything after it is refused at once.
      assertThat(client.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.NoLeader.class);
      storage.releaseRecovery();
      List<RaftReply<Object>> rest = client.receiveSeveralMessages(10_000, ScriptedPeer.WAIT);
      assertThat(rest).allSatisfy(r -> assertThat(r).isInstanceOf(RaftReply.NoLeader.class));
      stop.expectMessage(ScriptedPeer.WAIT, Done.getInstance());
    }
  }

  @Test
  void aDurableLogIsRecoveredAfterARestart() {
    ScriptedStorage storage = new ScriptedStorage();
    try (ScriptedPeer a = ScriptedPeer.builder(kit).storage(storage).start()) {
      a.deliver(append(2, "n2", 0, 0, List.of(entry(1, 2, "a"), entry(2, 2, "b")), 1, 1));
      assertThat(a.expect("n2", AppendEntriesResult.class).matchIndex()).isEqualTo(2);
    }
    try (ScriptedPeer again =
        ScriptedPeer.builder(kit).storage(new ScriptedStorage(storage.inner())).start()) {
      PeerStatus status = again.status();
      assertThat(status.term()).isEqualTo(2);
      assertThat(status.lastLogIndex()).isEqualTo(2);
      assertThat(status.commitIndex()).as("commit is volatile (Figure 2)").isZero();
      assertThat(status.role()).isEqualTo(PeerStatus.Role.FOLLOWER);
    }
  }

  /** A state machine whose apply blocks until the test lets it finish. */
  private static final class SlowStateMachine extends ListStateMachine {
    private final CompletableFuture<Void> applying = new CompletableFuture<>();
    private final CompletableFuture<Void> finish = new CompletableFuture<>();

    @Override
    public Object apply(String command) {
      applying.complete(null);
      finish.join();
      return super.apply(command);
    }

    void awaitApplying() {
      applying
          .orTimeout(ScriptedPeer.WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
          .join();
    }

    void finish() {
      finish.complete(null);
    }
  }
}
