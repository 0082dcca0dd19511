package dev.keel.raft.scripted;

import static dev.keel.raft.scripted.Scripts.append;
import static dev.keel.raft.scripted.Scripts.electLeader;
import static dev.keel.raft.scripted.Scripts.noOp;
import static dev.keel.raft.scripted.Scripts.refusal;
import static dev.keel.raft.scripted.Scripts.replicate;
import static dev.keel.raft.scripted.Scripts.replicateAll;
import static dev.keel.raft.scripted.Scripts.staleTermRefusal;
import static dev.keel.raft.scripted.Scripts.vote;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import dev.keel.raft.protocol.RaftMessage.AppendEntries;
import dev.keel.raft.protocol.RaftMessage.RequestVote;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bugs of the actor-layer review, each replayed message by message. */
class ReviewedBugsTest {

  @RegisterExtension static final ScriptedTestKit kit = new ScriptedTestKit();

  @Test
  void aTruncatedWriteOfADeposedLeaderHasAnUnknownOutcome() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).members("a", "b", "c", "d", "e").start()) {
      long term = electLeader(a);
      replicateAll(a);
      TestProbe<RaftReply<Object>> client = a.write("w");
      // w reaches c only, so it is not committed; c could still win a later term and commit it.
      AppendEntries toC = a.expect("c", AppendEntries.class);
      assertThat(toC.entries()).hasSize(1);
      // b wins the next term with d and e, and its no-op replaces w in a's log.
      a.deliver(append(term + 1, "b", 1, term, List.of(noOp(2, term + 1)), 1, 1));
      RaftReply<Object> reply = client.receiveMessage(ScriptedPeer.WAIT);
      assertThat(reply)
          .as("a truncated entry may still be committed by another leader: outcome unknown")
          .isInstanceOf(RaftReply.TimedOut.class);
    }
  }

  @Test
  void anAnswerToAnEarlierLeadershipDoesNotConfirmALinearizableRead() {
    try (ScriptedPeer a =
        ScriptedPeer.builder(kit)
            .settings(ScriptedPeer.settings().withElectionSafeguards(true, false))
            .start()) {
      long first = electLeader(a);
      replicateAll(a);
      // Heartbeats of the first leadership that n2 answers only much later.
      Map<Long, AppendEntries> early = new HashMap<>();
      for (int i = 0; i < 6; i++) {
        // Two ticks: an idle replicator sends a heartbeat on every other tick.
        a.advance(ScriptedPeer.HEARTBEAT.multipliedBy(2));
        AppendEntries heartbeat = a.expect("n2", AppendEntries.class);
        early.put(heartbeat.correlationId(), heartbeat);
      }
      a.drainAll();
      // n3 leads the next term for a while, then a wins the term after.
      a.deliver(append(first + 1, "n3", 1, first, List.of(), 1, 1));
      a.awaitRole(PeerStatus.Role.FOLLOWER);
      a.drainAll();
      long third = electLeader(a);
      replicateAll(a);
      TestProbe<RaftReply<Object>> reader = a.read("q", RaftPeer.ReadConsistency.LINEARIZABLE);
      AppendEntries round = a.expect("n2", AppendEntries.class);
      assertThat(early)
          .as("correlation ids restart with each replicator")
          .containsKey(round.correlationId());
      // n2, now in the third term, answers the first leadership's request with the same id.
      a.deliver(staleTermRefusal(early.get(round.correlationId()), "n2", third));
      reader.expectNoMessage(ScriptedPeer.QUIET);
      a.deliver(Scripts.success(round, "n2"));
      assertThat(reader.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.Ok.class);
    }
  }

  @Test
  void twoSnapshotsAtTheSameIndexDoNotStopThePeer() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      electLeader(a);
      replicateAll(a);
      TestProbe<RaftReply<Object>> client = a.write("x");
      replicate(a, "n2", 2);
      assertThat(client.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.Ok.class);
      a.storage.hold();
      TestProbe<RaftReply<Long>> first = kit.createTestProbe();
      TestProbe<RaftReply<Long>> second = kit.createTestProbe();
      a.ref.tell(new RaftPeer.TakeSnapshot(first.ref()));
      a.ref.tell(new RaftPeer.TakeSnapshot(second.ref()));
      a.status();
      a.storage.releaseAll();
      assertThat(first.receiveMessage(ScriptedPeer.WAIT)).isEqualTo(new RaftReply.Ok<>(2L, 2));
      assertThat(second.receiveMessage(ScriptedPeer.WAIT)).isEqualTo(new RaftReply.Ok<>(2L, 2));
      assertThat(a.storage.issued("snapshot")).hasSize(1);
      assertThat(a.status().role()).isEqualTo(PeerStatus.Role.LEADER);
    }
  }

  @Test
  void aDeadApplierAnswersItsWritesAndStopsThePeer() {
    try (ScriptedPeer a =
        ScriptedPeer.builder(kit)
            .stateMachine(() -> new ListStateMachine(ListStateMachine.Fault.WRONG_BATCH_SIZE))
            .start()) {
      electLeader(a);
      replicateAll(a);
      TestProbe<RaftReply<Object>> client = a.write("x");
      TestProbe<Object> watcher = kit.createTestProbe();
      a.expect("n2", AppendEntries.class);
      a.deliver(Scripts.success(a.expect("n3", AppendEntries.class), "n3"));
      assertThat(client.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.TimedOut.class);
      watcher.expectTerminated(a.ref, ScriptedPeer.WAIT);
    }
  }

  @Test
  void aDelayedRefusalFromAnEarlierElectionDoesNotCountInThisOne() {
    try (ScriptedPeer a =
        ScriptedPeer.builder(kit)
            .settings(ScriptedPeer.settings().withElectionSafeguards(false, true))
            .start()) {
      a.advance(ScriptedPeer.ELECTION_TIMEOUT);
      RequestVote firstElection = a.expectEach(RequestVote.class).get(0);
      a.advance(ScriptedPeer.ELECTION_TIMEOUT);
      RequestVote secondElection = a.expect("n2", RequestVote.class);
      assertThat(secondElection.term()).isEqualTo(firstElection.term() + 1);
      // n2 had voted for n3 in the first election; its refusal arrives late.
      a.deliver(refusal(firstElection, "n2", firstElection.term()));
      a.deliver(vote(secondElection, "n2", true));
      a.awaitRole(PeerStatus.Role.LEADER);
    }
  }

  @Test
  void unansweredChunksAfterSlowInstallDoNotRestartTheTransfer() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      byte[] data = ListStateMachine.snapshotOf("s1", "s2", "s3");
      int half = data.length / 2;
      a.deliver(append(1, "n2", 0, 0, List.of(), 0, 1));
      a.expect("n2", dev.keel.raft.protocol.RaftMessage.AppendEntriesResult.class);
      a.deliver(
          Scripts.chunk(
              1, "n2", 10, 1, a.members, 0, java.util.Arrays.copyOfRange(data, 0, half), false, 2));
      var answer = a.expect("n2", dev.keel.raft.protocol.RaftMessage.InstallSnapshotResult.class);
      assertThat(answer.nextOffset()).isEqualTo(half);
      a.storage.hold();
      byte[] rest = java.util.Arrays.copyOfRange(data, half, data.length);
      a.deliver(Scripts.chunk(1, "n2", 10, 1, a.members, half, rest, true, 3));
      a.status();
      // The install is not durable yet, so no answer; the leader resends the last chunk.
      a.deliver(Scripts.chunk(1, "n2", 10, 1, a.members, half, rest, true, 4));
      a.status();
      for (var m : a.drain("n2")) {
        assertThat(m)
            .isInstanceOfSatisfying(
                dev.keel.raft.protocol.RaftMessage.InstallSnapshotResult.class,
                r -> assertThat(r.nextOffset()).as("wanted offset").isNotZero());
      }
      a.storage.releaseAll();
      var done = a.expect("n2", dev.keel.raft.protocol.RaftMessage.InstallSnapshotResult.class);
      assertThat(done.done()).isTrue();
      // The done answer is lost: the leader resends the last chunk once more.
      a.deliver(Scripts.chunk(1, "n2", 10, 1, a.members, half, rest, true, 5));
      var again = a.expect("n2", dev.keel.raft.protocol.RaftMessage.InstallSnapshotResult.class);
      assertThat(again.done()).as("already installed: done again, not a restart").isTrue();
    }
  }

  @Test
  void chunksOfTwoLeadersAreNeverStitchedTogether() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      byte[] fromN2 = ListStateMachine.snapshotOf("old-leader-state");
      byte[] fromN3 = ListStateMachine.snapshotOf("new-leader-state", "x");
      a.deliver(
          Scripts.chunk(
              1, "n2", 10, 1, a.members, 0, java.util.Arrays.copyOfRange(fromN2, 0, 6), false, 1));
      var first = a.expect("n2", dev.keel.raft.protocol.RaftMessage.InstallSnapshotResult.class);
      assertThat(first.nextOffset()).isEqualTo(6);
      a.deliver(
          Scripts.chunk(
              2, "n3", 10, 1, a.members, 0, java.util.Arrays.copyOfRange(fromN3, 0, 4), false, 1));
      var second = a.expect("n3", dev.keel.raft.protocol.RaftMessage.InstallSnapshotResult.class);
      assertThat(second.nextOffset()).as("a new transfer starts over").isEqualTo(4);
    }
  }

  @Test
  void aFailedStateMachineSnapshotIsAnswered() {
    try (ScriptedPeer a =
        ScriptedPeer.builder(kit)
            .stateMachine(() -> new ListStateMachine(ListStateMachine.Fault.SNAPSHOT_FAILS))
            .start()) {
      electLeader(a);
      replicateAll(a);
      TestProbe<RaftReply<Object>> client = a.write("x");
      replicate(a, "n2", 2);
      client.receiveMessage(ScriptedPeer.WAIT);
      TestProbe<RaftReply<Long>> caller = kit.createTestProbe();
      a.ref.tell(new RaftPeer.TakeSnapshot(caller.ref()));
      assertThat(caller.receiveMessage(ScriptedPeer.WAIT))
          .isInstanceOfSatisfying(
              RaftReply.Rejected.class,
              r -> assertThat(r.reason()).contains("scripted snapshot failure"));
    }
  }

  @Test
  void aStorageFailureAnswersTheWaitingWrites() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      electLeader(a);
      replicateAll(a);
      a.storage.failNext();
      TestProbe<RaftReply<Object>> client = a.write("x");
      assertThat(client.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.TimedOut.class);
      TestProbe<Object> watcher = kit.createTestProbe();
      watcher.expectTerminated(a.ref, ScriptedPeer.WAIT);
    }
  }
}
