package dev.keel.raft.scripted;

import static dev.keel.raft.scripted.Scripts.electLeader;
import static dev.keel.raft.scripted.Scripts.entry;
import static dev.keel.raft.scripted.Scripts.rejection;
import static dev.keel.raft.scripted.Scripts.replicate;
import static dev.keel.raft.scripted.Scripts.replicateAll;
import static dev.keel.raft.scripted.Scripts.success;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftReply;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.TermAndVote;
import dev.keel.raft.protocol.RaftMessage.AppendEntries;
import dev.keel.raft.protocol.RaftMessage.AppendEntriesResult;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A leader's replicators, one follower at a time: probe and pipeline (a window of requests in
 * flight), back-off by the follower's hint, lost requests, heartbeats, and answers that are stale,
 * duplicated or from an earlier leadership.
 */
class ReplicatorScriptTest {

  @RegisterExtension static final ScriptedTestKit kit = new ScriptedTestKit();

  /** A leader with at most two requests with entries in flight per follower. */
  private static ScriptedPeer windowOfTwo() {
    return ScriptedPeer.builder(kit)
        .settings(ScriptedPeer.settings().withAppendLimits(1024, 128 * 1024, 2))
        .start();
  }

  @Test
  void probesWithOneRequestUntilTheFollowerAnswersThenPipelinesUpToTheWindow() {
    try (ScriptedPeer a = windowOfTwo()) {
      electLeader(a);
      // Probe: one request with entries in flight; more writes wait for its answer.
      List<AppendEntries> opening = new java.util.ArrayList<>();
      AppendEntries first = a.expect("n2", AppendEntries.class);
      opening.add(first);
      while (first.entries().isEmpty()) { // a heartbeat may go ahead of the no-op
        first = a.expect("n2", AppendEntries.class);
        opening.add(first);
      }
      a.write("a");
      a.status();
      a.expectNoMessagesTo("n2");
      a.deliver(success(first, "n2"));
      AppendEntries withA = a.expect("n2", AppendEntries.class);
      assertThat(withA.entries()).containsExactly(entry(2, 1, "a"));
      // Pipeline: a second request goes out before the first is answered, a third does not.
      a.write("b");
      AppendEntries withB = a.expect("n2", AppendEntries.class);
      assertThat(withB.prevLogIndex()).isEqualTo(2);
      a.write("c");
      a.status();
      a.expectNoMessagesTo("n2");
      a.deliver(success(withA, "n2"));
      AppendEntries withC = a.expect("n2", AppendEntries.class);
      assertThat(withC.entries()).containsExactly(entry(4, 1, "c"));
    }
  }

  @Test
  void afterARejectionItResumesWhereTheFollowersHintSays() {
    List<LogEntry> earlier =
        List.of(entry(1, 1, "a"), entry(2, 1, "b"), entry(3, 1, "c"), entry(4, 1, "d"));
    try (ScriptedPeer a =
        ScriptedPeer.builder(kit).recovered(new TermAndVote(1, null), earlier).start()) {
      long term = electLeader(a);
      AppendEntries probe = a.expect("n2", AppendEntries.class);
      assertThat(probe.prevLogIndex()).as("optimistic: right before the no-op").isEqualTo(4);
      // n2's log ends at index 2.
      a.deliver(rejection(probe, "n2", 3, 0));
      AppendEntries retry = a.expect("n2", AppendEntries.class);
      while (retry.prevLogIndex() != 2) { // answers to requests before the reset are stale
        a.deliver(rejection(retry, "n2", 3, 0));
        retry = a.expect("n2", AppendEntries.class);
      }
      assertThat(retry.prevLogTerm()).isEqualTo(1);
      assertThat(retry.entries()).extracting(LogEntry::index).containsExactly(3L, 4L, 5L);
      a.deliver(success(retry, "n2"));
      a.awaitMatch("n2", 5);
      assertThat(a.status().commitIndex()).isEqualTo(5);
      assertThat(term).isEqualTo(2);
    }
  }

  @Test
  void aFollowerWithAConflictingTermIsSkippedPastThatTermAtOnce() {
    List<LogEntry> earlier = List.of(entry(1, 1, "a"), entry(2, 1, "b"), entry(3, 3, "c"));
    try (ScriptedPeer a =
        ScriptedPeer.builder(kit).recovered(new TermAndVote(3, null), earlier).start()) {
      electLeader(a);
      AppendEntries probe = a.expect("n2", AppendEntries.class);
      assertThat(probe.prevLogIndex()).isEqualTo(3);
      // n2 led term 2 and holds 2@2 and 3@2 (never committed): its hint names term 2 from index 2.
      a.deliver(rejection(probe, "n2", 2, 2));
      AppendEntries retry = a.expect("n2", AppendEntries.class);
      while (retry.prevLogIndex() == probe.prevLogIndex()) {
        retry = a.expect("n2", AppendEntries.class);
      }
      assertThat(retry.prevLogIndex())
          .as("the leader has no entry of term 2: the whole term is skipped")
          .isEqualTo(1);
    }
  }

  @Test
  void requestsUnansweredForSomeHeartbeatsArePresumedLostAndSentAgain() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      electLeader(a);
      replicateAll(a);
      a.write("x");
      AppendEntries lost = a.expect("n2", AppendEntries.class);
      // Three silent heartbeat intervals (lost-request-ticks): probe again from matchIndex + 1.
      for (int i = 0; i < 3; i++) {
        a.advance(ScriptedPeer.HEARTBEAT);
      }
      AppendEntries again = a.expect("n2", AppendEntries.class);
      while (again.entries().isEmpty()) {
        again = a.expect("n2", AppendEntries.class);
      }
      assertThat(again.prevLogIndex()).isEqualTo(lost.prevLogIndex());
      assertThat(again.entries()).isEqualTo(lost.entries());
      assertThat(again.correlationId()).isGreaterThan(lost.correlationId());
    }
  }

  @Test
  void anIdleReplicatorSendsHeartbeatsCarryingTheCommitIndex() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      electLeader(a);
      replicateAll(a);
      a.advance(ScriptedPeer.HEARTBEAT.multipliedBy(2));
      AppendEntries heartbeat = a.expect("n2", AppendEntries.class);
      assertThat(heartbeat.entries()).isEmpty();
      assertThat(heartbeat.prevLogIndex()).isEqualTo(1);
      assertThat(heartbeat.leaderCommit()).isEqualTo(1);
    }
  }

  @Test
  void duplicatedAndReorderedAnswersChangeNothing() {
    try (ScriptedPeer a = windowOfTwo()) {
      electLeader(a);
      replicateAll(a);
      a.write("a");
      AppendEntries withA = a.expect("n2", AppendEntries.class);
      a.write("b");
      AppendEntries withB = a.expect("n2", AppendEntries.class);
      // The later answer first, then the earlier one twice.
      a.deliver(success(withB, "n2"));
      a.awaitMatch("n2", 3);
      a.deliver(success(withA, "n2"));
      a.deliver(success(withA, "n2"));
      a.status();
      assertThat(a.status().followerMatchIndex()).containsEntry("n2", 3L);
      a.expectNoMessagesTo("n2");
      // A rejection of a request older than the follower's known match changes nothing either.
      a.deliver(rejection(withA, "n2", 1, 0));
      AppendEntries next = a.expect("n2", AppendEntries.class);
      assertThat(next.prevLogIndex()).as("never below the match index").isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void answersToAnEarlierLeadershipAreIgnored() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      long term = electLeader(a);
      replicateAll(a);
      a.write("x");
      AppendEntries request = a.expect("n2", AppendEntries.class);
      // A success that names an earlier request term, with this request's id: not for us.
      a.deliver(
          new AppendEntriesResult(term, "n2", true, 2, 0, 0, term - 1, request.correlationId()));
      a.status();
      a.expectNoMessagesTo("n2");
      assertThat(a.status().followerMatchIndex()).containsEntry("n2", 1L);
      a.deliver(success(request, "n2"));
      a.awaitMatch("n2", 2);
    }
  }

  @Test
  void aFollowerThatNeverAnswersDoesNotHoldUpTheMajority() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).members("n1", "n2", "n3", "n4", "n5").start()) {
      electLeader(a);
      replicate(a, "n2", 1);
      replicate(a, "n3", 1);
      TestProbe<RaftReply<Object>> client = a.write("x");
      replicate(a, "n2", 2);
      client.expectNoMessage(ScriptedPeer.QUIET);
      replicate(a, "n3", 2);
      assertThat(client.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.Ok.class);
      assertThat(a.status().role()).isEqualTo(PeerStatus.Role.LEADER);
    }
  }

  @Test
  void largeBacklogsGoOutInBatchesWithinTheCountLimit() {
    try (ScriptedPeer a =
        ScriptedPeer.builder(kit)
            .settings(ScriptedPeer.settings().withAppendLimits(3, 128 * 1024, 1))
            .start()) {
      electLeader(a);
      replicateAll(a);
      a.storage.hold();
      for (int i = 0; i < 7; i++) {
        a.write("w" + i);
      }
      a.status();
      a.storage.releaseAll();
      AppendEntries batch = a.expect("n2", AppendEntries.class);
      assertThat(batch.entries().size()).isBetween(1, 3);
      long reached = batch.prevLogIndex() + batch.entries().size();
      a.deliver(success(batch, "n2"));
      while (reached < 8) {
        AppendEntries next = a.expect("n2", AppendEntries.class);
        assertThat(next.entries().size()).isBetween(1, 3);
        reached = next.prevLogIndex() + next.entries().size();
        a.deliver(success(next, "n2"));
      }
      a.awaitMatch("n2", 8);
    }
  }

  @Test
  void anAnswerToARequestNeverSentIsIgnored() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      electLeader(a);
      replicateAll(a);
      a.write("x");
      AppendEntries latest = a.expect("n2", AppendEntries.class);
      AppendEntries forged =
          new AppendEntries(
              latest.term(),
              latest.leaderId(),
              latest.prevLogIndex(),
              latest.prevLogTerm(),
              latest.entries(),
              latest.leaderCommit(),
              latest.correlationId() + 1);
      a.deliver(rejection(forged, "n2", 1, 0));
      a.expectNoMessagesTo("n2");
      a.deliver(success(latest, "n2"));
      a.awaitMatch("n2", 2);
    }
  }

  @Test
  void heartbeatsGoOutEveryOtherTickWhenNothingElseWasSent() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      electLeader(a);
      replicateAll(a);
      a.advance(ScriptedPeer.HEARTBEAT);
      a.advance(ScriptedPeer.HEARTBEAT);
      AppendEntries first = a.expect("n2", AppendEntries.class);
      a.deliver(success(first, "n2"));
      a.advance(ScriptedPeer.HEARTBEAT);
      a.expectNoMessagesTo("n2");
      a.advance(ScriptedPeer.HEARTBEAT);
      AppendEntries second = a.expect("n2", AppendEntries.class);
      assertThat(second.entries()).isEmpty();
      assertThat(second.correlationId()).isGreaterThan(first.correlationId());
    }
  }

  @Test
  void requestsArePresumedLostAfterExactlyTheConfiguredSilentTicks() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      electLeader(a);
      replicateAll(a);
      a.write("x");
      AppendEntries lost = a.expect("n2", AppendEntries.class);
      a.advance(ScriptedPeer.HEARTBEAT);
      a.advance(ScriptedPeer.HEARTBEAT);
      // The second tick sends a heartbeat (nothing went out in the first): not a resend.
      for (var message : a.drain("n2")) {
        assertThat(((AppendEntries) message).entries()).as("no resend yet").isEmpty();
      }
      a.advance(ScriptedPeer.HEARTBEAT);
      AppendEntries resent = a.expect("n2", AppendEntries.class);
      while (resent.entries().isEmpty()) {
        resent = a.expect("n2", AppendEntries.class);
      }
      assertThat(resent.entries()).isEqualTo(lost.entries());
    }
  }
}
