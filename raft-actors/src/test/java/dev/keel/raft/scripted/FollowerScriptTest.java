package dev.keel.raft.scripted;

import static dev.keel.raft.scripted.Scripts.append;
import static dev.keel.raft.scripted.Scripts.entry;
import static dev.keel.raft.scripted.Scripts.voteRequest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.TermAndVote;
import dev.keel.raft.protocol.RaftMessage.AppendEntries;
import dev.keel.raft.protocol.RaftMessage.AppendEntriesResult;
import dev.keel.raft.protocol.RaftMessage.RequestVote;
import dev.keel.raft.protocol.RaftMessage.RequestVoteResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The follower role, message by message: AppendEntries from stale, equal and newer terms (§5.1,
 * §5.3), durable acknowledgements, commit, votes (§5.2, §5.4.1) and pre-votes (thesis §9.6),
 * election timers, and clients at a follower.
 */
class FollowerScriptTest {

  @RegisterExtension static final ScriptedTestKit kit = new ScriptedTestKit();

  /** Makes the peer follow {@code leader} in {@code term} with an empty heartbeat. */
  private static void follow(ScriptedPeer a, String leader, long term) {
    a.deliver(append(term, leader, 0, 0, List.of(), 0, 100));
    AppendEntriesResult answer = a.expect(leader, AppendEntriesResult.class);
    assertThat(answer.success()).isTrue();
  }

  /**
   * Appends {@code entries} from {@code leader} after (prevIndex, prevTerm) and waits for the ack.
   */
  private static AppendEntriesResult replicate(
      ScriptedPeer a,
      String leader,
      long term,
      long prevIndex,
      long prevTerm,
      List<LogEntry> entries,
      long commit) {
    AppendEntries request = append(term, leader, prevIndex, prevTerm, entries, commit, 7);
    a.deliver(request);
    return a.expect(leader, AppendEntriesResult.class);
  }

  private static List<LogEntry> entries(long from, long term, String... commands) {
    return java.util.stream.IntStream.range(0, commands.length)
        .mapToObj(i -> entry(from + i, term, commands[i]))
        .toList();
  }

  @Test
  void refusesAppendEntriesFromAStaleTermNamingItsOwnTerm() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      follow(a, "n2", 2);
      a.deliver(append(1, "n3", 0, 0, List.of(), 0, 9));
      AppendEntriesResult answer = a.expect("n3", AppendEntriesResult.class);
      assertThat(answer.success()).isFalse();
      assertThat(answer.term()).isEqualTo(2);
      assertThat(answer.requestTerm()).isEqualTo(1);
      assertThat(answer.correlationId()).isEqualTo(9);
      PeerStatus status = a.status();
      assertThat(status.term()).isEqualTo(2);
      assertThat(status.leader()).isEqualTo("n2");
    }
  }

  @Test
  void adoptsANewerTermDurablyAndFollowsItsLeader() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      a.deliver(append(3, "n2", 0, 0, List.of(), 0, 1));
      AppendEntriesResult answer = a.expect("n2", AppendEntriesResult.class);
      assertThat(answer.success()).isTrue();
      assertThat(answer.term()).isEqualTo(3);
      assertThat(answer.requestTerm()).isEqualTo(3);
      PeerStatus status = a.status();
      assertThat(status.term()).isEqualTo(3);
      assertThat(status.leader()).isEqualTo("n2");
      assertThat(status.role()).isEqualTo(PeerStatus.Role.FOLLOWER);
      assertThat(a.storage.inner().termAndVote().term()).isEqualTo(3);
    }
  }

  @Test
  void rejectsEntriesThatDoNotFollowItsLogWithAHintToSkipATerm() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      replicate(a, "n2", 1, 0, 0, entries(1, 1, "a", "b", "c"), 0);
      // Too short: the hint is our last index + 1.
      AppendEntriesResult tooShort = replicate(a, "n2", 2, 5, 2, List.of(), 0);
      assertThat(tooShort.success()).isFalse();
      assertThat(tooShort.conflictIndex()).isEqualTo(4);
      assertThat(tooShort.conflictTerm()).isZero();
      // Wrong term at prevLogIndex: the hint is the first index of our term there.
      AppendEntriesResult wrongTerm = replicate(a, "n2", 2, 3, 2, List.of(), 0);
      assertThat(wrongTerm.success()).isFalse();
      assertThat(wrongTerm.conflictIndex()).isEqualTo(1);
      assertThat(wrongTerm.conflictTerm()).isEqualTo(1);
      assertThat(wrongTerm.requestTerm()).isEqualTo(2);
      assertThat(a.status().lastLogIndex()).as("a rejection changes no entry").isEqualTo(3);
    }
  }

  @Test
  void acknowledgesEntriesOnlyOnceTheyAreDurable() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      follow(a, "n2", 1);
      a.storage.hold();
      a.deliver(append(1, "n2", 0, 0, entries(1, 1, "a", "b"), 0, 5));
      a.expectNoMessages();
      assertThat(a.storage.heldCount()).isEqualTo(1);
      a.storage.releaseAll();
      AppendEntriesResult answer = a.expect("n2", AppendEntriesResult.class);
      assertThat(answer.success()).isTrue();
      assertThat(answer.matchIndex()).isEqualTo(2);
      assertThat(answer.correlationId()).isEqualTo(5);
      assertThat(a.storage.inner().entries()).hasSize(2);
    }
  }

  @Test
  void acknowledgesInOrderWhenSeveralWritesWait() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      follow(a, "n2", 1);
      a.storage.hold();
      a.deliver(append(1, "n2", 0, 0, entries(1, 1, "a"), 0, 5));
      a.deliver(append(1, "n2", 1, 1, entries(2, 1, "b"), 0, 6));
      a.status();
      assertThat(a.storage.heldCount()).isEqualTo(2);
      a.storage.releaseNext();
      AppendEntriesResult first = a.expect("n2", AppendEntriesResult.class);
      assertThat(first.matchIndex()).isEqualTo(1);
      a.expectNoMessages();
      a.storage.releaseNext();
      AppendEntriesResult second = a.expect("n2", AppendEntriesResult.class);
      assertThat(second.matchIndex()).isEqualTo(2);
      assertThat(second.correlationId()).isEqualTo(6);
    }
  }

  @Test
  void replacesAConflictingSuffixWithTheLeadersEntries() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      replicate(a, "n2", 1, 0, 0, entries(1, 1, "a", "b", "c"), 0);
      AppendEntriesResult answer = replicate(a, "n3", 2, 1, 1, entries(2, 2, "x"), 0);
      assertThat(answer.success()).isTrue();
      assertThat(answer.matchIndex()).isEqualTo(2);
      assertThat(a.status().lastLogIndex()).isEqualTo(2);
      assertThat(a.storage.inner().entries()).containsExactly(entry(1, 1, "a"), entry(2, 2, "x"));
    }
  }

  @Test
  void aDelayedRequestDoesNotCutOffEntriesALaterOneAppended() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      replicate(a, "n2", 1, 0, 0, entries(1, 1, "a", "b", "c"), 0);
      AppendEntriesResult late = replicate(a, "n2", 1, 0, 0, entries(1, 1, "a"), 0);
      assertThat(late.success()).isTrue();
      assertThat(late.matchIndex()).as("verified only up to what it carried").isEqualTo(1);
      assertThat(a.status().lastLogIndex()).isEqualTo(3);
      assertThat(a.storage.issued("entries")).hasSize(1);
    }
  }

  @Test
  void commitsUpToTheLeadersCommitButNoFurtherThanItVerified() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      replicate(a, "n2", 1, 0, 0, entries(1, 1, "a", "b", "c"), 2);
      assertThat(a.status().commitIndex()).isEqualTo(2);
      // A heartbeat that verifies only entry 1 cannot commit past it, whatever leaderCommit says.
      replicate(a, "n2", 1, 1, 1, List.of(), 10);
      assertThat(a.status().commitIndex()).isEqualTo(2);
      replicate(a, "n2", 1, 3, 1, List.of(), 10);
      assertThat(a.status().commitIndex()).isEqualTo(3);
      RaftReply<Object> read =
          a.read("all", RaftPeer.ReadConsistency.LOCAL).receiveMessage(ScriptedPeer.WAIT);
      assertThat(read).isEqualTo(new RaftReply.Ok<>(List.of("a", "b", "c"), 3));
    }
  }

  @Test
  void startsAPreVoteOnlyWhenTheLeaderIsQuietForAnElectionTimeout() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      follow(a, "n2", 1);
      Duration almost = ScriptedPeer.ELECTION_TIMEOUT.minusMillis(10);
      a.advance(almost);
      follow(a, "n2", 1); // the heartbeat restarts the timer
      a.advance(almost);
      a.expectNoMessages();
      a.advance(Duration.ofMillis(20));
      RequestVote preVote = a.expect("n2", RequestVote.class);
      assertThat(preVote.preVote()).isTrue();
      assertThat(preVote.term()).isEqualTo(2);
      assertThat(a.expect("n3", RequestVote.class).preVote()).isTrue();
      assertThat(a.status().term()).as("a pre-vote changes no term").isEqualTo(1);
    }
  }

  @Test
  void grantsAVoteOnlyOnceItIsDurableAndOnlyToOneCandidatePerTerm() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      a.storage.hold();
      a.deliver(new RequestVote(1, "n2", 0, 0, false, 5));
      a.expectNoMessages();
      a.storage.releaseAll();
      RequestVoteResult granted = a.expect("n2", RequestVoteResult.class);
      assertThat(granted.voteGranted()).isTrue();
      assertThat(granted.requestTerm()).isEqualTo(1);
      assertThat(granted.correlationId()).isEqualTo(5);
      assertThat(a.storage.inner().termAndVote().votedFor()).isEqualTo("n2");

      a.deliver(new RequestVote(1, "n3", 0, 0, false, 6));
      assertThat(a.expect("n3", RequestVoteResult.class).voteGranted()).isFalse();
      a.deliver(new RequestVote(1, "n2", 0, 0, false, 7));
      assertThat(a.expect("n2", RequestVoteResult.class).voteGranted())
          .as("the same candidate asking again")
          .isTrue();
    }
  }

  @Test
  void refusesACandidateWhoseLogIsBehind() {
    try (ScriptedPeer a =
        ScriptedPeer.builder(kit)
            .recovered(new TermAndVote(1, null), entries(1, 1, "a", "b"))
            .start()) {
      a.deliver(voteRequest(2, "n3", 1, 1, false));
      RequestVoteResult refused = a.expect("n3", RequestVoteResult.class);
      assertThat(refused.voteGranted()).isFalse();
      assertThat(refused.term()).isEqualTo(2);
      a.deliver(voteRequest(3, "n3", 2, 1, false));
      assertThat(a.expect("n3", RequestVoteResult.class).voteGranted())
          .as("as long: up to date")
          .isTrue();
    }
  }

  @Test
  void ignoresCampaignsWhileItHearsFromItsLeader() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      follow(a, "n2", 1);
      a.deliver(voteRequest(2, "n3", 0, 0, false));
      RequestVoteResult refused = a.expect("n3", RequestVoteResult.class);
      assertThat(refused.voteGranted()).isFalse();
      assertThat(refused.term()).isEqualTo(1);
      a.deliver(voteRequest(2, "n3", 0, 0, true));
      assertThat(a.expect("n3", RequestVoteResult.class).voteGranted()).isFalse();
      assertThat(a.status().term()).isEqualTo(1);
      // Once the leader has been quiet for the minimum election timeout, votes are possible.
      a.advance(ScriptedPeer.ELECTION_TIMEOUT.plusMillis(1));
      a.expectEach(RequestVote.class); // its own pre-vote
      a.deliver(voteRequest(3, "n3", 0, 0, false));
      assertThat(a.expect("n3", RequestVoteResult.class).voteGranted()).isTrue();
    }
  }

  @Test
  void grantsAPreVoteWithoutChangingOrStoringAnything() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      a.deliver(voteRequest(1, "n2", 0, 0, true));
      RequestVoteResult answer = a.expect("n2", RequestVoteResult.class);
      assertThat(answer.voteGranted()).isTrue();
      assertThat(answer.preVote()).isTrue();
      assertThat(answer.term()).as("a granted pre-vote names the request's term").isEqualTo(1);
      assertThat(a.status().term()).isZero();
      assertThat(a.storage.issued()).isEmpty();
      a.deliver(voteRequest(0, "n2", 0, 0, true));
      assertThat(a.expect("n2", RequestVoteResult.class).voteGranted())
          .as("a pre-vote for a term not above ours")
          .isFalse();
    }
  }

  @Test
  void refusesAVoteRequestOfAStaleTermNamingItsOwnTerm() {
    try (ScriptedPeer a =
        ScriptedPeer.builder(kit).recovered(new TermAndVote(3, null), List.of()).start()) {
      a.deliver(voteRequest(2, "n3", 5, 2, false));
      RequestVoteResult refused = a.expect("n3", RequestVoteResult.class);
      assertThat(refused.voteGranted()).isFalse();
      assertThat(refused.term()).isEqualTo(3);
      assertThat(refused.requestTerm()).isEqualTo(2);
    }
  }

  @Test
  void sendsClientsToTheLeaderItFollows() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      assertThat(a.write("x").receiveMessage(ScriptedPeer.WAIT))
          .as("no leader known yet")
          .isInstanceOf(RaftReply.NoLeader.class);
      follow(a, "n2", 1);
      assertThat(a.write("x").receiveMessage(ScriptedPeer.WAIT))
          .isEqualTo(new RaftReply.NotLeader<>("n2", null));
      assertThat(
              a.read("q", RaftPeer.ReadConsistency.LINEARIZABLE).receiveMessage(ScriptedPeer.WAIT))
          .isEqualTo(new RaftReply.NotLeader<>("n2", null));
      assertThat(a.read("q", RaftPeer.ReadConsistency.LOCAL).receiveMessage(ScriptedPeer.WAIT))
          .as("a local read is served by any peer")
          .isEqualTo(new RaftReply.Ok<>(List.of(), 0));
    }
  }

  @Test
  void dropsAnAcknowledgementOfAnEarlierTermOnceANewLeaderTookOver() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      follow(a, "n2", 1);
      a.storage.hold();
      a.deliver(append(1, "n2", 0, 0, entries(1, 1, "a"), 0, 5));
      a.status();
      a.deliver(append(2, "n3", 1, 1, List.of(), 0, 1));
      a.status();
      a.storage.releaseAll();
      AppendEntriesResult toNewLeader = a.expect("n3", AppendEntriesResult.class);
      assertThat(toNewLeader.success()).isTrue();
      assertThat(toNewLeader.term()).isEqualTo(2);
      a.expectNoMessages();
    }
  }

  @Test
  void entriesReplacingATruncatedSuffixAreAcknowledgedOnlyOnceDurable() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      replicate(a, "n2", 1, 0, 0, entries(1, 1, "a", "b", "c"), 0);
      a.storage.hold();
      a.deliver(append(2, "n3", 1, 1, entries(2, 2, "x"), 0, 9));
      a.expectNoMessages();
      a.storage.releaseAll();
      AppendEntriesResult answer = a.expect("n3", AppendEntriesResult.class);
      assertThat(answer.matchIndex()).isEqualTo(2);
    }
  }

  @Test
  void grantingAVoteRestartsTheElectionTimer() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      a.advance(ScriptedPeer.ELECTION_TIMEOUT.minusMillis(100));
      a.deliver(voteRequest(1, "n2", 0, 0, false));
      assertThat(a.expect("n2", RequestVoteResult.class).voteGranted()).isTrue();
      a.advance(ScriptedPeer.ELECTION_TIMEOUT.minusMillis(100));
      a.expectNoMessages();
      a.advance(Duration.ofMillis(200));
      assertThat(a.expect("n2", RequestVote.class).preVote()).isTrue();
    }
  }

  @Test
  void aVoteWhoseTermPassedBeforeItWasDurableIsAnsweredNo() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      a.storage.hold();
      a.deliver(voteRequest(1, "n2", 0, 0, false));
      a.deliver(voteRequest(2, "n3", 0, 0, false));
      a.status();
      a.storage.releaseAll();
      RequestVoteResult toN2 = a.expect("n2", RequestVoteResult.class);
      assertThat(toN2.voteGranted()).as("term 1 is over by the time the vote is durable").isFalse();
      assertThat(toN2.requestTerm()).isEqualTo(1);
      assertThat(a.expect("n3", RequestVoteResult.class).voteGranted()).isTrue();
    }
  }

  @Test
  void snapshotChunksKeepTheFollowerFromCampaigning() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      byte[] data = ListStateMachine.snapshotOf("s1", "s2", "s3");
      for (int offset = 0; offset < 3; offset++) {
        a.deliver(
            Scripts.chunk(
                1,
                "n2",
                9,
                1,
                a.members,
                offset,
                java.util.Arrays.copyOfRange(data, offset, offset + 1),
                false,
                offset));
        a.expect("n2", dev.keel.raft.protocol.RaftMessage.InstallSnapshotResult.class);
        a.advance(ScriptedPeer.ELECTION_TIMEOUT.minusMillis(100));
      }
      a.expectNoMessages();
    }
  }
}
