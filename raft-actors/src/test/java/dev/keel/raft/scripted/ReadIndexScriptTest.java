package dev.keel.raft.scripted;

import static dev.keel.raft.scripted.Scripts.append;
import static dev.keel.raft.scripted.Scripts.electLeader;
import static dev.keel.raft.scripted.Scripts.replicate;
import static dev.keel.raft.scripted.Scripts.replicateAll;
import static dev.keel.raft.scripted.Scripts.success;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.RaftPeer.ReadConsistency;
import dev.keel.raft.RaftReply;
import dev.keel.raft.protocol.RaftMessage.AppendEntries;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Linearizable reads by ReadIndex (thesis §6.4): a read waits for its term's no-op to commit, is
 * confirmed only by a majority answering requests sent after it arrived, and sees every write
 * committed before it.
 */
class ReadIndexScriptTest {

  @RegisterExtension static final ScriptedTestKit kit = new ScriptedTestKit();

  @Test
  void aReadWaitsUntilTheLeadersNoOpIsCommitted() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      electLeader(a);
      TestProbe<RaftReply<Object>> reader = a.read("q", ReadConsistency.LINEARIZABLE);
      reader.expectNoMessage(ScriptedPeer.QUIET);
      replicate(a, "n2", 1);
      // Now the round: a heartbeat sent after the read arrived, answered by n2.
      AppendEntries round = a.expect("n2", AppendEntries.class);
      reader.expectNoMessage(ScriptedPeer.QUIET);
      a.deliver(success(round, "n2"));
      assertThat(reader.receiveMessage(ScriptedPeer.WAIT))
          .isEqualTo(new RaftReply.Ok<>(List.of(), 1));
    }
  }

  @Test
  void onlyAnswersToRequestsSentAfterTheReadArrivedConfirmIt() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      electLeader(a);
      replicateAll(a);
      a.advance(ScriptedPeer.HEARTBEAT.multipliedBy(2));
      AppendEntries before = a.expect("n2", AppendEntries.class);
      TestProbe<RaftReply<Object>> reader = a.read("q", ReadConsistency.LINEARIZABLE);
      AppendEntries after = a.expect("n2", AppendEntries.class);
      assertThat(after.correlationId()).isGreaterThan(before.correlationId());
      a.deliver(success(before, "n2"));
      reader.expectNoMessage(ScriptedPeer.QUIET);
      a.deliver(success(after, "n2"));
      assertThat(reader.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.Ok.class);
    }
  }

  @Test
  void aReadSeesEveryWriteCommittedBeforeIt() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      electLeader(a);
      replicateAll(a);
      a.write("x");
      replicate(a, "n2", 2);
      TestProbe<RaftReply<Object>> reader = a.read("q", ReadConsistency.LINEARIZABLE);
      AppendEntries round = a.expect("n2", AppendEntries.class);
      a.deliver(success(round, "n2"));
      assertThat(reader.receiveMessage(ScriptedPeer.WAIT))
          .isEqualTo(new RaftReply.Ok<>(List.of("x"), 2));
    }
  }

  @Test
  void readsArrivingTogetherShareOneRoundAndAnEarlierRoundIsConfirmedByALaterAnswer() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      electLeader(a);
      replicateAll(a);
      TestProbe<RaftReply<Object>> first = a.read("q", ReadConsistency.LINEARIZABLE);
      AppendEntries round1 = a.expect("n2", AppendEntries.class);
      TestProbe<RaftReply<Object>> second = a.read("q", ReadConsistency.LINEARIZABLE);
      AppendEntries round2 = a.expect("n2", AppendEntries.class);
      // Only the later round's answer arrives: it confirms both reads.
      a.deliver(success(round2, "n2"));
      assertThat(first.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.Ok.class);
      assertThat(second.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.Ok.class);
      assertThat(round2.correlationId()).isGreaterThan(round1.correlationId());
    }
  }

  @Test
  void aReadThatGetsNoMajorityTimesOut() {
    try (ScriptedPeer a =
        ScriptedPeer.builder(kit)
            .settings(ScriptedPeer.settings().withElectionSafeguards(true, false))
            .start()) {
      electLeader(a);
      replicateAll(a);
      TestProbe<RaftReply<Object>> reader = a.read("q", ReadConsistency.LINEARIZABLE);
      a.advance(ScriptedPeer.REQUEST_TIMEOUT.plusSeconds(1));
      assertThat(reader.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.TimedOut.class);
    }
  }

  @Test
  void aReadWaitingForTheNoOpTimesOutToo() {
    try (ScriptedPeer a =
        ScriptedPeer.builder(kit)
            .settings(ScriptedPeer.settings().withElectionSafeguards(true, false))
            .start()) {
      electLeader(a);
      TestProbe<RaftReply<Object>> reader = a.read("q", ReadConsistency.LINEARIZABLE);
      a.advance(ScriptedPeer.REQUEST_TIMEOUT.plusSeconds(1));
      assertThat(reader.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.TimedOut.class);
    }
  }

  @Test
  void readsWaitingWhenTheLeaderStepsDownAreAnsweredNotServed() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      long term = electLeader(a);
      TestProbe<RaftReply<Object>> early = a.read("q", ReadConsistency.LINEARIZABLE);
      replicateAll(a);
      TestProbe<RaftReply<Object>> waiting = a.read("q", ReadConsistency.LINEARIZABLE);
      a.deliver(append(term + 1, "n3", 1, term, List.of(), 1, 1));
      assertThat(early.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.NoLeader.class);
      assertThat(waiting.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.NoLeader.class);
    }
  }

  @Test
  void aQueryThatThrowsIsRejected() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      RaftReply<Object> reply =
          a.read("reject-me", ReadConsistency.LOCAL).receiveMessage(ScriptedPeer.WAIT);
      assertThat(reply)
          .isInstanceOfSatisfying(
              RaftReply.Rejected.class,
              rejected -> assertThat(rejected.reason()).contains("refused query reject-me"));
    }
  }

  @Test
  void aReadIsAnsweredTimedOutExactlyAtItsDeadlineAndNotBefore() {
    try (ScriptedPeer a =
        ScriptedPeer.builder(kit)
            .settings(ScriptedPeer.settings().withElectionSafeguards(true, false))
            .start()) {
      electLeader(a);
      TestProbe<RaftReply<Object>> waitingForNoOp = a.read("q", ReadConsistency.LINEARIZABLE);
      replicateAll(a);
      TestProbe<RaftReply<Object>> waitingForRound = a.read("q", ReadConsistency.LINEARIZABLE);
      a.advance(ScriptedPeer.REQUEST_TIMEOUT.minusMillis(500));
      waitingForRound.expectNoMessage(ScriptedPeer.QUIET);
      a.advance(java.time.Duration.ofMillis(500));
      assertThat(waitingForRound.receiveMessage(ScriptedPeer.WAIT))
          .isInstanceOf(RaftReply.TimedOut.class);
      assertThat(waitingForNoOp.receiveMessage(ScriptedPeer.WAIT))
          .as("admitted when the no-op committed, then timed out")
          .isInstanceOf(RaftReply.TimedOut.class);
    }
  }

  @Test
  void aReadStillWaitingForTheNoOpTimesOutExactlyAtItsDeadline() {
    try (ScriptedPeer a =
        ScriptedPeer.builder(kit)
            .settings(ScriptedPeer.settings().withElectionSafeguards(true, false))
            .start()) {
      electLeader(a);
      TestProbe<RaftReply<Object>> reader = a.read("q", ReadConsistency.LINEARIZABLE);
      a.advance(ScriptedPeer.REQUEST_TIMEOUT.minusMillis(500));
      reader.expectNoMessage(ScriptedPeer.QUIET);
      a.advance(java.time.Duration.ofMillis(500));
      assertThat(reader.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.TimedOut.class);
    }
  }
}
