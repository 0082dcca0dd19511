package dev.keel.raft.scripted;

import static dev.keel.raft.scripted.Scripts.append;
import static dev.keel.raft.scripted.Scripts.refusal;
import static dev.keel.raft.scripted.Scripts.vote;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftReply;
import dev.keel.raft.protocol.RaftMessage.AppendEntries;
import dev.keel.raft.protocol.RaftMessage.AppendEntriesResult;
import dev.keel.raft.protocol.RaftMessage.RequestVote;
import dev.keel.raft.protocol.RaftMessage.RequestVoteResult;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The candidate role: pre-vote (thesis §9.6), the election proper (§5.2), and how each ends. */
class CandidateScriptTest {

  @RegisterExtension static final ScriptedTestKit kit = new ScriptedTestKit();

  private static ScriptedPeer withoutPreVote() {
    return ScriptedPeer.builder(kit)
        .settings(ScriptedPeer.settings().withElectionSafeguards(false, true))
        .start();
  }

  @Test
  void aPreVoteWinsAnElectionOnlyWithAMajority() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      a.advance(ScriptedPeer.ELECTION_TIMEOUT);
      RequestVote toN2 = a.expect("n2", RequestVote.class);
      RequestVote toN3 = a.expect("n3", RequestVote.class);
      assertThat(toN2.preVote()).isTrue();
      assertThat(toN2.term()).isEqualTo(1);
      PeerStatus campaigning = a.status();
      assertThat(campaigning.role()).isEqualTo(PeerStatus.Role.CANDIDATE);
      assertThat(campaigning.term()).as("a pre-vote changes no term").isZero();
      assertThat(campaigning.leader()).isNull();

      a.deliver(refusal(toN2, "n2", 0));
      a.expectNoMessages();
      a.deliver(vote(toN3, "n3", true));
      RequestVote election = a.expect("n2", RequestVote.class);
      assertThat(election.preVote()).isFalse();
      assertThat(election.term()).isEqualTo(1);
      assertThat(election.correlationId()).isNotEqualTo(toN2.correlationId());
      assertThat(a.storage.inner().termAndVote().votedFor()).as("voted for itself").isEqualTo("n1");
      assertThat(a.status().metrics().electionsStarted()).isEqualTo(1);
    }
  }

  @Test
  void asksForVotesOnlyOnceItsOwnVoteIsDurable() {
    try (ScriptedPeer a = withoutPreVote()) {
      a.storage.hold();
      a.advance(ScriptedPeer.ELECTION_TIMEOUT);
      a.expectNoMessages();
      assertThat(a.status().term()).isEqualTo(1);
      a.storage.releaseAll();
      RequestVote request = a.expect("n2", RequestVote.class);
      assertThat(request.term()).isEqualTo(1);
      assertThat(request.preVote()).isFalse();
      a.deliver(vote(request, "n2", true));
      a.awaitRole(PeerStatus.Role.LEADER);
    }
  }

  @Test
  void aGrantForAnEarlierElectionDoesNotCount() {
    try (ScriptedPeer a = withoutPreVote()) {
      a.advance(ScriptedPeer.ELECTION_TIMEOUT);
      RequestVote request = a.expectEach(RequestVote.class).get(0);
      a.storage.hold();
      a.advance(ScriptedPeer.ELECTION_TIMEOUT);
      // The next election's request goes out only after its vote is durable: nothing yet.
      a.expectNoMessages();
      // A grant for the earlier election does not count for this one.
      a.deliver(vote(request, "n2", true));
      assertThat(a.status().role()).isEqualTo(PeerStatus.Role.CANDIDATE);
      a.storage.releaseAll();
      RequestVote second = a.expect("n2", RequestVote.class);
      assertThat(second.term()).isEqualTo(2);
      a.deliver(vote(second, "n2", true));
      a.awaitRole(PeerStatus.Role.LEADER);
    }
  }

  @Test
  void aLostPreVoteGoesBackToFollowerAndTriesAgainLater() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      a.advance(ScriptedPeer.ELECTION_TIMEOUT);
      RequestVote toN2 = a.expect("n2", RequestVote.class);
      RequestVote toN3 = a.expect("n3", RequestVote.class);
      a.deliver(refusal(toN2, "n2", 0));
      a.deliver(refusal(toN3, "n3", 0));
      a.awaitRole(PeerStatus.Role.FOLLOWER);
      assertThat(a.status().term()).isZero();
      a.advance(ScriptedPeer.ELECTION_TIMEOUT);
      RequestVote again = a.expectEach(RequestVote.class).get(0);
      assertThat(again.preVote()).isTrue();
      assertThat(again.correlationId()).isNotEqualTo(toN2.correlationId());
      // A grant of the first round does not count in the second.
      a.deliver(vote(toN2, "n2", true));
      a.expectNoMessages();
      a.deliver(vote(again, "n2", true));
      assertThat(a.expect("n2", RequestVote.class).preVote()).isFalse();
    }
  }

  @Test
  void aLostElectionGoesBackToFollowerInTheNewTerm() {
    try (ScriptedPeer a = withoutPreVote()) {
      a.advance(ScriptedPeer.ELECTION_TIMEOUT);
      RequestVote toN2 = a.expect("n2", RequestVote.class);
      RequestVote toN3 = a.expect("n3", RequestVote.class);
      a.deliver(vote(toN2, "n2", false));
      a.deliver(vote(toN3, "n3", false));
      a.awaitRole(PeerStatus.Role.FOLLOWER);
      assertThat(a.status().term()).isEqualTo(1);
    }
  }

  @Test
  void anAnswerFromANewerTermEndsTheCampaign() {
    try (ScriptedPeer a = withoutPreVote()) {
      a.advance(ScriptedPeer.ELECTION_TIMEOUT);
      RequestVote toN2 = a.expect("n2", RequestVote.class);
      a.deliver(refusal(toN2, "n2", 5));
      a.awaitRole(PeerStatus.Role.FOLLOWER);
      assertThat(a.status().term()).isEqualTo(5);
      assertThat(a.storage.inner().termAndVote().term()).isEqualTo(5);
    }
  }

  @Test
  void aLeaderOfItsOwnTermEndsTheCampaign() {
    try (ScriptedPeer a = withoutPreVote()) {
      a.advance(ScriptedPeer.ELECTION_TIMEOUT);
      a.expectEach(RequestVote.class);
      a.deliver(append(1, "n3", 0, 0, List.of(), 0, 4));
      AppendEntriesResult answer = a.expect("n3", AppendEntriesResult.class);
      assertThat(answer.success()).isTrue();
      PeerStatus status = a.status();
      assertThat(status.role()).isEqualTo(PeerStatus.Role.FOLLOWER);
      assertThat(status.leader()).isEqualTo("n3");
      assertThat(status.term()).isEqualTo(1);
    }
  }

  @Test
  void anElectionThatTimesOutStartsOverWithAPreVoteForTheNextTerm() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      a.advance(ScriptedPeer.ELECTION_TIMEOUT);
      RequestVote pre = a.expectEach(RequestVote.class).get(0);
      a.deliver(vote(pre, "n2", true));
      a.expectEach(RequestVote.class);
      a.advance(ScriptedPeer.ELECTION_TIMEOUT);
      RequestVote next = a.expect("n2", RequestVote.class);
      assertThat(next.preVote()).isTrue();
      assertThat(next.term()).isEqualTo(2);
      assertThat(a.status().role()).isEqualTo(PeerStatus.Role.CANDIDATE);
    }
  }

  @Test
  void aCandidateVotesForACandidateOfANewerTermWithAnUpToDateLog() {
    try (ScriptedPeer a = withoutPreVote()) {
      a.advance(ScriptedPeer.ELECTION_TIMEOUT);
      a.expectEach(RequestVote.class);
      a.deliver(new RequestVote(2, "n3", 0, 0, false, 11));
      RequestVoteResult answer = a.expect("n3", RequestVoteResult.class);
      assertThat(answer.voteGranted()).isTrue();
      assertThat(answer.correlationId()).isEqualTo(11);
      assertThat(a.status().role()).isEqualTo(PeerStatus.Role.FOLLOWER);
      a.deliver(new RequestVote(1, "n2", 0, 0, false, 12));
      assertThat(a.expect("n2", RequestVoteResult.class).voteGranted())
          .as("a candidate of an older term")
          .isFalse();
    }
  }

  @Test
  void aCandidateRefusesWritesAndReadsAsNoLeader() {
    try (ScriptedPeer a = withoutPreVote()) {
      a.advance(ScriptedPeer.ELECTION_TIMEOUT);
      a.expect("n2", RequestVote.class);
      assertThat(a.write("x").receiveMessage(ScriptedPeer.WAIT))
          .isInstanceOf(RaftReply.NoLeader.class);
    }
  }

  @Test
  void aSingleMemberElectsItselfAndCommitsAlone() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).members("solo").start()) {
      a.advance(ScriptedPeer.ELECTION_TIMEOUT);
      a.awaitRole(PeerStatus.Role.LEADER);
      assertThat(a.write("x").receiveMessage(ScriptedPeer.WAIT))
          .isEqualTo(new RaftReply.Ok<>(1, 2));
      assertThat(
              a.read("q", dev.keel.raft.RaftPeer.ReadConsistency.LINEARIZABLE)
                  .receiveMessage(ScriptedPeer.WAIT))
          .isEqualTo(new RaftReply.Ok<>(List.of("x"), 2));
    }
  }

  @Test
  void aLeaderIsElectedWithTheVotesOfAMajorityOfFive() {
    try (ScriptedPeer a =
        ScriptedPeer.builder(kit)
            .members("n1", "n2", "n3", "n4", "n5")
            .settings(ScriptedPeer.settings().withElectionSafeguards(false, true))
            .start()) {
      a.advance(ScriptedPeer.ELECTION_TIMEOUT);
      List<RequestVote> requests = a.expectEach(RequestVote.class);
      RequestVote toN2 = requests.get(0);
      RequestVote toN3 = requests.get(1);
      a.deliver(vote(toN2, "n2", true));
      a.expectNoMessages();
      assertThat(a.status().role()).isEqualTo(PeerStatus.Role.CANDIDATE);
      a.deliver(vote(toN3, "n3", true));
      a.awaitRole(PeerStatus.Role.LEADER);
      AppendEntries first = a.expect("n4", AppendEntries.class);
      assertThat(first.term()).isEqualTo(1);
    }
  }

  // Liveness after a leader dies (pre-votes move no term or vote): a refused pre-vote is asked
  // again within two heartbeats, at most twice in a row, and of two pre-candidates of one term
  // only the one with the better claim goes on.

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
