package dev.keel.raft.scripted;

import static dev.keel.raft.scripted.Scripts.append;
import static dev.keel.raft.scripted.Scripts.electLeader;
import static dev.keel.raft.scripted.Scripts.entry;
import static dev.keel.raft.scripted.Scripts.replicate;
import static dev.keel.raft.scripted.Scripts.replicateAll;
import static dev.keel.raft.scripted.Scripts.success;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftReply;
import dev.keel.raft.persistence.EntryPayload;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.TermAndVote;
import dev.keel.raft.protocol.RaftMessage.AppendEntries;
import dev.keel.raft.protocol.RaftMessage.AppendEntriesResult;
import dev.keel.raft.protocol.RaftMessage.InstallSnapshotResult;
import dev.keel.raft.protocol.RaftMessage.RequestVote;
import dev.keel.raft.protocol.RaftMessage.RequestVoteResult;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The leader role: the no-op of a new term (§8), commit by majority with its own durable log (§5.3,
 * §5.4.2), stepping down (§5.1, check-quorum from thesis §6.2), client deadlines.
 */
class LeaderScriptTest {

  @RegisterExtension static final ScriptedTestKit kit = new ScriptedTestKit();

  private static ScriptedPeer withoutCheckQuorum() {
    return ScriptedPeer.builder(kit)
        .settings(ScriptedPeer.settings().withElectionSafeguards(true, false))
        .start();
  }

  @Test
  void aNewLeaderAppendsANoOpAndAssertsItselfToEveryFollower() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      long term = electLeader(a);
      for (String follower : a.others()) {
        AppendEntries first = a.expect(follower, AppendEntries.class);
        assertThat(first.term()).isEqualTo(term);
        assertThat(first.leaderId()).isEqualTo("n1");
      }
      replicateAll(a);
      PeerStatus status = a.status();
      assertThat(status.lastLogIndex()).isEqualTo(1);
      assertThat(status.commitIndex()).isEqualTo(1);
      assertThat(status.leader()).isEqualTo("n1");
      assertThat(status.followerMatchIndex()).containsEntry("n2", 1L).containsEntry("n3", 1L);
      assertThat(a.storage.inner().entries().get(0).isNoOp()).isTrue();
      assertThat(status.metrics().electionsWon()).isEqualTo(1);
    }
  }

  @Test
  void aWriteCommitsOnceAMajorityHoldsItCountingTheLeaderOnlyOnceItsLogIsDurable() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      electLeader(a);
      replicateAll(a);
      a.storage.hold();
      TestProbe<RaftReply<Object>> client = a.write("x");
      replicate(a, "n2", 2);
      client.expectNoMessage(ScriptedPeer.QUIET);
      assertThat(a.status().commitIndex()).isEqualTo(1);
      a.storage.releaseAll();
      assertThat(client.receiveMessage(ScriptedPeer.WAIT)).isEqualTo(new RaftReply.Ok<>(1, 2));
      assertThat(a.status().commitIndex()).isEqualTo(2);
      assertThat(a.status().metrics().proposals()).isEqualTo(1);
    }
  }

  @Test
  void twoFollowersMakeAMajorityWithoutTheLeadersDisk() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      electLeader(a);
      replicateAll(a);
      a.storage.hold();
      TestProbe<RaftReply<Object>> client = a.write("x");
      replicate(a, "n2", 2);
      replicate(a, "n3", 2);
      assertThat(client.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.Ok.class);
      a.storage.releaseAll();
    }
  }

  @Test
  void entriesOfAnEarlierTermCommitOnlyWithAnEntryOfTheLeadersTerm() {
    List<LogEntry> earlier = List.of(entry(1, 1, "a"), entry(2, 1, "b"));
    try (ScriptedPeer a =
        ScriptedPeer.builder(kit).recovered(new TermAndVote(1, null), earlier).start()) {
      long term = electLeader(a);
      assertThat(term).isEqualTo(2);
      // n2 shows it holds the earlier term's entries, not yet the no-op: nothing commits (§5.4.2).
      AppendEntries first = a.expect("n2", AppendEntries.class);
      a.deliver(new AppendEntriesResult(term, "n2", true, 2, 0, 0, term, first.correlationId()));
      a.awaitMatch("n2", 2);
      assertThat(a.status().commitIndex()).isZero();
      replicate(a, "n2", 3);
      assertThat(a.status().commitIndex()).isEqualTo(3);
    }
  }

  @Test
  void aCommandThatCannotBeSerializedIsRejectedAndNotProposed() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      electLeader(a);
      replicateAll(a);
      RaftReply<Object> reply = a.writeAny(new Object()).receiveMessage(ScriptedPeer.WAIT);
      assertThat(reply)
          .isInstanceOfSatisfying(
              RaftReply.Rejected.class,
              rejected ->
                  assertThat(rejected.reason())
                      .contains("java.lang.Object")
                      .contains("pekko.actor.serialization-bindings"));
      assertThat(a.status().lastLogIndex()).isEqualTo(1);
      assertThat(a.status().metrics().proposals()).isZero();
    }
  }

  @Test
  void commandsTravelAsTheBytesTheLeaderSerializedOnce() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      electLeader(a);
      replicateAll(a);
      a.write("héllo");
      AppendEntries request = a.expect("n2", AppendEntries.class);
      assertThat(request.entries()).containsExactly(entry(2, 1, "héllo"));
      assertThat(request.entries().get(0).payload()).isInstanceOf(EntryPayload.UserCommand.class);
    }
  }

  @Test
  void refusesAppendEntriesOfItsOwnTerm() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      long term = electLeader(a);
      a.deliver(append(term, "n2", 0, 0, List.of(), 0, 3));
      AppendEntriesResult answer = a.expectPassingOver("n2", AppendEntriesResult.class);
      assertThat(answer.success()).isFalse();
      assertThat(answer.requestTerm()).isEqualTo(term);
      assertThat(a.status().role()).isEqualTo(PeerStatus.Role.LEADER);
    }
  }

  @Test
  void aLeaderOfANewerTermDeposesIt() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      long term = electLeader(a);
      replicateAll(a);
      a.deliver(append(term + 1, "n2", 1, term, List.of(), 1, 3));
      a.awaitRole(PeerStatus.Role.FOLLOWER);
      PeerStatus status = a.status();
      assertThat(status.term()).isEqualTo(term + 1);
      assertThat(status.leader()).isEqualTo("n2");
      assertThat(status.followerMatchIndex()).isEmpty();
    }
  }

  @Test
  void anAnswerFromANewerTermDeposesIt() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      long term = electLeader(a);
      AppendEntries request = a.expect("n2", AppendEntries.class);
      a.deliver(success(request, "n2", term + 3));
      a.awaitRole(PeerStatus.Role.FOLLOWER);
      assertThat(a.status().term()).isEqualTo(term + 3);
    }
  }

  @Test
  void aSnapshotAnswerFromANewerTermDeposesIt() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      long term = electLeader(a);
      a.deliver(new InstallSnapshotResult(term + 1, "n3", 5, 0, false, term, 1));
      a.awaitRole(PeerStatus.Role.FOLLOWER);
      assertThat(a.status().term()).isEqualTo(term + 1);
    }
  }

  @Test
  void withCheckQuorumItIgnoresCampaignsWithoutItOneOfANewerTermDeposesIt() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      long term = electLeader(a);
      a.deliver(new RequestVote(term + 1, "n2", 9, term, false, 1));
      RequestVoteResult refused = a.expectPassingOver("n2", RequestVoteResult.class);
      assertThat(refused.voteGranted()).isFalse();
      assertThat(a.status().role()).isEqualTo(PeerStatus.Role.LEADER);
    }
    try (ScriptedPeer a = withoutCheckQuorum()) {
      long term = electLeader(a);
      a.deliver(new RequestVote(term + 1, "n2", 9, term, false, 1));
      assertThat(a.expectPassingOver("n2", RequestVoteResult.class).voteGranted()).isTrue();
      a.awaitRole(PeerStatus.Role.FOLLOWER);
    }
  }

  @Test
  void stepsDownWhenNoMajorityAnsweredWithinAnElectionTimeout() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      electLeader(a);
      replicateAll(a);
      // n2 keeps answering (new entries, so the leader's progress shows): with the leader
      // itself that is a majority.
      for (int i = 0; i < 4; i++) {
        a.advance(ScriptedPeer.ELECTION_TIMEOUT.dividedBy(2));
        a.drain("n2");
        a.write("w" + i);
        replicate(a, "n2", 2 + i);
      }
      assertThat(a.status().role()).isEqualTo(PeerStatus.Role.LEADER);
      // Nobody answers for two check intervals.
      a.advance(ScriptedPeer.ELECTION_TIMEOUT);
      a.advance(ScriptedPeer.ELECTION_TIMEOUT);
      a.awaitRole(PeerStatus.Role.FOLLOWER);
      assertThat(a.status().leader()).isNull();
    }
  }

  @Test
  void aWriteNotCommittedByItsDeadlineIsAnsweredTimedOut() {
    try (ScriptedPeer a = withoutCheckQuorum()) {
      electLeader(a);
      replicateAll(a);
      TestProbe<RaftReply<Object>> client = a.write("x");
      a.advance(ScriptedPeer.REQUEST_TIMEOUT.minusMillis(600));
      client.expectNoMessage(ScriptedPeer.QUIET);
      a.advance(ScriptedPeer.REQUEST_TIMEOUT);
      assertThat(client.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.TimedOut.class);
    }
  }

  @Test
  void aDeposedLeadersWriteIsStillAnsweredWhenTheNextLeaderCommitsIt() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      long term = electLeader(a);
      replicateAll(a);
      TestProbe<RaftReply<Object>> client = a.write("x");
      a.expect("n2", AppendEntries.class);
      // n2 took x and won the next term; its AppendEntries commits x.
      a.deliver(append(term + 1, "n2", 2, term, List.of(entry(3, term + 1, "y")), 3, 1));
      assertThat(client.receiveMessage(ScriptedPeer.WAIT)).isEqualTo(new RaftReply.Ok<>(1, 2));
    }
  }

  @Test
  void aWriteWhoseEntryTheNextLeaderReplacedHasAnUnknownOutcome() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      long term = electLeader(a);
      replicateAll(a);
      a.storage.hold();
      TestProbe<RaftReply<Object>> client = a.write("x");
      a.expect("n2", AppendEntries.class);
      // The new leader's log holds another entry at index 2; x may survive on n3 all the same.
      a.deliver(append(term + 1, "n2", 1, term, List.of(entry(2, term + 1, "z")), 2, 1));
      a.storage.releaseAll();
      RaftReply<Object> reply = client.receiveMessage(ScriptedPeer.WAIT);
      assertThat(reply).isInstanceOf(RaftReply.TimedOut.class);
    }
  }

  @Test
  void aDeposedLeaderStopsItsReplicators() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      long term = electLeader(a);
      replicateAll(a);
      a.deliver(append(term + 1, "n3", 1, term, List.of(), 1, 1));
      a.expectPassingOver("n3", AppendEntriesResult.class);
      a.awaitRole(PeerStatus.Role.FOLLOWER);
      a.drain("n2");
      for (int i = 0; i < 4; i++) {
        a.advance(ScriptedPeer.HEARTBEAT);
      }
      a.expectNoMessagesTo("n2");
    }
  }

  @Test
  void entriesNotYetHandedToStorageWhenDeposedAreStoredAllTheSame() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      long term = electLeader(a);
      replicateAll(a);
      // The write and the new leader's heartbeat arrive in one go, before the leader flushes.
      TestProbe<RaftReply<Object>> client = kit.createTestProbe();
      a.ref.tell(new dev.keel.raft.RaftPeer.Write<>("x", client.ref()));
      a.deliver(append(term + 1, "n2", 1, term, List.of(), 1, 1));
      // Had the flush come first, the leader sent x out before stepping down: not the point.
      a.expectPassingOver("n2", AppendEntriesResult.class);
      // n2 had taken x from this peer before: it builds on it and commits it.
      a.deliver(append(term + 1, "n2", 2, term, List.of(), 2, 2));
      AppendEntriesResult ack = a.expectPassingOver("n2", AppendEntriesResult.class);
      assertThat(ack.success()).isTrue();
      assertThat(ack.matchIndex()).isEqualTo(2);
      assertThat(client.receiveMessage(ScriptedPeer.WAIT)).isEqualTo(new RaftReply.Ok<>(1, 2));
    }
  }

  @Test
  void aWriteIsAnsweredTimedOutExactlyAtItsDeadline() {
    try (ScriptedPeer a = withoutCheckQuorum()) {
      electLeader(a);
      replicateAll(a);
      TestProbe<RaftReply<Object>> client = a.write("x");
      // Requests are swept every tenth of the request timeout, on the same grid as the write.
      a.advance(ScriptedPeer.REQUEST_TIMEOUT.minusMillis(500));
      client.expectNoMessage(ScriptedPeer.QUIET);
      a.advance(java.time.Duration.ofMillis(500));
      assertThat(client.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.TimedOut.class);
    }
  }

  @Test
  void aCommandLargerThanAnAppendEntriesMayBeIsRejectedNamingTheLimit() {
    try (ScriptedPeer a =
        ScriptedPeer.builder(kit)
            .settings(ScriptedPeer.settings().withAppendLimits(1024, 200, 8))
            .start()) {
      electLeader(a);
      replicateAll(a);
      RaftReply<Object> reply = a.write("x".repeat(300)).receiveMessage(ScriptedPeer.WAIT);
      assertThat(reply)
          .isInstanceOfSatisfying(
              RaftReply.Rejected.class,
              r ->
                  assertThat(r.reason())
                      .contains("keel.raft.max-bytes-per-append = 200")
                      .contains("bytes in the log"));
      TestProbe<RaftReply<Object>> small = a.write("y".repeat(100));
      replicate(a, "n2", 2);
      assertThat(small.receiveMessage(ScriptedPeer.WAIT))
          .as("below the limit: replicated")
          .isInstanceOf(RaftReply.Ok.class);
    }
  }
}
