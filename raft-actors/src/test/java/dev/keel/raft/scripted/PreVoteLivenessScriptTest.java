package dev.keel.raft.scripted;

import static dev.keel.raft.scripted.Scripts.refusal;
import static dev.keel.raft.scripted.Scripts.vote;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.PeerStatus;
import dev.keel.raft.protocol.RaftMessage.RequestVote;
import dev.keel.raft.protocol.RaftMessage.RequestVoteResult;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How pre-votes avoid wasted election timeouts after a leader dies: a refused pre-vote is asked
 * again within two heartbeat intervals (a bounded number of times in a row), and of two followers
 * campaigning together only the one with the better claim goes on (thesis §9.6 leaves both to
 * liveness; no term or vote moves).
 */
class PreVoteLivenessScriptTest {

  private static ActorTestKit kit;

  @BeforeAll
  static void start() {
    kit = ScriptedTestKit.create();
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void aRefusedPreVoteIsAskedAgainWithinTwoHeartbeats() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      a.advance(ScriptedPeer.ELECTION_TIMEOUT);
      RequestVote first = a.expect("n2", RequestVote.class);
      a.expect("n3", RequestVote.class);
      a.deliver(refusal(first, "n2", 0)); // n3, the dead leader, never answers

      a.advance(ScriptedPeer.HEARTBEAT.multipliedBy(2));

      RequestVote again = a.expect("n2", RequestVote.class);
      assertThat(again.preVote()).isTrue();
      assertThat(again.term()).isEqualTo(1);
      assertThat(again.correlationId()).isNotEqualTo(first.correlationId());
      assertThat(a.status().term()).as("pre-votes move no term").isZero();
    }
  }

  @Test
  void quickRetriesStopAfterTwoRoundsInARow() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      a.advance(ScriptedPeer.ELECTION_TIMEOUT);
      RequestVote request = a.expect("n2", RequestVote.class);
      a.expect("n3", RequestVote.class);
      for (int round = 0; round < 2; round++) {
        a.deliver(refusal(request, "n2", 0));
        a.advance(ScriptedPeer.HEARTBEAT.multipliedBy(2));
        request = a.expect("n2", RequestVote.class);
        a.expect("n3", RequestVote.class);
      }
      a.deliver(refusal(request, "n2", 0));

      a.advance(ScriptedPeer.HEARTBEAT.multipliedBy(2));
      a.expectNoMessages();
      a.advance(ScriptedPeer.ELECTION_TIMEOUT);
      assertThat(a.expect("n2", RequestVote.class).preVote()).isTrue();
    }
  }

  @Test
  void aPreCandidateLeavesThePreVoteToAPeerWithAMoreUpToDateLog() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      a.advance(ScriptedPeer.ELECTION_TIMEOUT);
      a.expectEach(RequestVote.class);

      a.deliver(new RequestVote(1, "n3", 1, 0, true, 77));

      RequestVoteResult answer = a.expect("n3", RequestVoteResult.class);
      assertThat(answer.voteGranted()).isTrue();
      assertThat(answer.preVote()).isTrue();
      a.awaitRole(PeerStatus.Role.FOLLOWER);
      assertThat(a.status().term()).isZero();
    }
  }

  @Test
  void ofTwoEqualLogsTheSmallerNameGoesOn() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      a.advance(ScriptedPeer.ELECTION_TIMEOUT);
      RequestVote toN2 = a.expect("n2", RequestVote.class);
      a.expect("n3", RequestVote.class);

      a.deliver(new RequestVote(1, "n3", 0, 0, true, 78));

      assertThat(a.expect("n3", RequestVoteResult.class).voteGranted()).isTrue();
      assertThat(a.status().role()).isEqualTo(PeerStatus.Role.CANDIDATE);
      a.deliver(vote(toN2, "n2", true));
      assertThat(a.expect("n2", RequestVote.class).preVote()).as("the election proper").isFalse();
    }
  }
}
