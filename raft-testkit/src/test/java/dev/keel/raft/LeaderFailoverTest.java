package dev.keel.raft;

import static dev.keel.raft.ClusterChecks.CATCH_UP_WAIT;
import static dev.keel.raft.ClusterChecks.ELECTION_WAIT;
import static dev.keel.raft.ClusterChecks.awaitAgreement;
import static dev.keel.raft.ClusterChecks.awaitConvergence;
import static dev.keel.raft.ClusterChecks.awaitLeaderAmong;
import static dev.keel.raft.ClusterChecks.durableLog;
import static dev.keel.raft.ClusterChecks.history;
import static dev.keel.raft.ClusterChecks.ok;
import static dev.keel.raft.ClusterChecks.others;
import static dev.keel.raft.ClusterChecks.sameDurableLogEverywhere;
import static dev.keel.raft.ClusterChecks.sameHistoryEverywhere;
import static dev.keel.raft.ClusterChecks.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.testkit.Await;
import dev.keel.raft.testkit.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Leaders that crash or are cut off, and what becomes of their log (§5.2, §5.3, §5.4). */
class LeaderFailoverTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  // Long enough that a cut-off leader's write is answered by the truncation after heal rather
  // than by its deadline; the tests accept either answer.
  private static final RaftSettings PATIENT_CLIENTS =
      TestCluster.fastSettings().withRequestTimeout(Duration.ofSeconds(8));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static TestCluster<String, RecordingStateMachine.Query, List<String>> start(
      int nodes, long seed, RaftSettings settings) {
    return TestCluster.builder(RecordingStateMachine::create)
        .nodes(nodes)
        .seed(seed)
        .settings(settings)
        .start(testKit.system());
  }

  @Test
  void crashedLeaderIsReplacedAndRejoinsAsFollowerThatCatchesUp() {
    long seed = 2;
    try (var cluster = start(3, seed, TestCluster.fastSettings())) {
      String oldLeader = cluster.awaitLeader(ELECTION_WAIT);
      long oldTerm = status(cluster, oldLeader).term();
      List<String> expected = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        ok(cluster, cluster.write(oldLeader, "before-" + i), "write to the first leader");
        expected.add("before-" + i);
      }

      cluster.crash(oldLeader);
      // Followers that stop hearing from the leader elect another, in a higher term (§5.2).
      String newLeader =
          awaitLeaderAmong(cluster, others(cluster.ids(), oldLeader), oldTerm, ELECTION_WAIT);
      long newTerm = status(cluster, newLeader).term();
      assertThat(newLeader).as("seed %d", seed).isNotEqualTo(oldLeader);
      assertThat(newTerm).as("seed %d", seed).isGreaterThan(oldTerm);
      for (int i = 1; i <= 5; i++) {
        ok(cluster, cluster.write(newLeader, "after-" + i), "write to the new leader");
        expected.add("after-" + i);
      }

      cluster.restart(oldLeader);
      // It restarts as a follower (§5.2), learns the new term and leader, and catches up (§5.3).
      awaitAgreement(cluster, newLeader, newTerm, CATCH_UP_WAIT);
      awaitConvergence(cluster, CATCH_UP_WAIT);
      PeerStatus rejoined = status(cluster, oldLeader);
      assertThat(rejoined.role()).as("seed %d", seed).isEqualTo(PeerStatus.Role.FOLLOWER);
      assertThat(rejoined.leader()).as("seed %d", seed).isEqualTo(newLeader);
      for (String id : cluster.ids()) {
        assertThat(history(cluster, id))
            .as("seed %d: commands applied by %s", seed, id)
            .containsExactlyElementsOf(expected);
      }
    }
  }

  @Test
  void leaderCutOffInMinorityStepsDownAndCannotCommit() {
    long seed = 4;
    try (var cluster = start(3, seed, PATIENT_CLIENTS)) {
      String oldLeader = cluster.awaitLeader(ELECTION_WAIT);
      long oldTerm = status(cluster, oldLeader).term();
      ok(cluster, cluster.write(oldLeader, "committed"), "write before the cut");
      awaitAgreement(cluster, oldLeader, oldTerm, CATCH_UP_WAIT);
      long committedIndex = awaitConvergence(cluster, CATCH_UP_WAIT);
      List<String> majority = others(cluster.ids(), oldLeader);

      cluster.network().isolate(oldLeader, cluster.ids());
      TestProbe<RaftReply<List<String>>> client = testKit.createTestProbe();
      cluster.peer(oldLeader).tell(new RaftPeer.Write<>("lost", client.ref()));
      Await.until(
          "the cut-off leader storing the write (seed " + seed + ")",
          CATCH_UP_WAIT,
          () -> durableLog(cluster, oldLeader).size() == committedIndex + 1);
      LogEntry lost = durableLog(cluster, oldLeader).get((int) committedIndex);
      assertThat(lost)
          .as("seed %d: the cut-off leader took the write in its own term", seed)
          .isEqualTo(new LogEntry(committedIndex + 1, oldTerm, TestCommands.text("lost")));

      // Check-quorum: a leader that hears from no majority within an election timeout steps
      // down (thesis §6.2). Its check runs every election-timeout-max, so two runs suffice.
      Duration stepDownBound = PATIENT_CLIENTS.electionTimeoutMax().multipliedBy(5);
      Await.until(
          "the cut-off leader stepping down within " + stepDownBound + " (seed " + seed + ")",
          stepDownBound,
          () -> status(cluster, oldLeader).role() != PeerStatus.Role.LEADER);

      String newLeader = awaitLeaderAmong(cluster, majority, oldTerm, ELECTION_WAIT);
      long newTerm = status(cluster, newLeader).term();
      ok(cluster, cluster.write(newLeader, "after"), "write to the majority's leader");
      PeerStatus cutOff = status(cluster, oldLeader);
      assertThat(cutOff.commitIndex())
          .as("seed %d: one of three cannot commit (§5.3)", seed)
          .isEqualTo(committedIndex);
      assertThat(cutOff.role()).as("seed %d", seed).isNotEqualTo(PeerStatus.Role.LEADER);

      cluster.network().heal();
      RaftReply<List<String>> reply = client.receiveMessage(Duration.ofSeconds(15));
      assertThat(reply)
          .as("seed %d: the write to the cut-off leader never succeeds", seed)
          .isInstanceOfAny(
              RaftReply.NotLeader.class, RaftReply.NoLeader.class, RaftReply.TimedOut.class);
      // With pre-vote the returning node does not depose the majority's leader.
      awaitAgreement(cluster, newLeader, newTerm, CATCH_UP_WAIT);
      awaitConvergence(cluster, CATCH_UP_WAIT);

      assertThat(sameDurableLogEverywhere(cluster, newLeader))
          .as("seed %d: the cut-off leader's entry is overwritten everywhere (§5.3)", seed)
          .doesNotContain(lost);
      List<String> applied = sameHistoryEverywhere(cluster);
      assertThat(applied).as("seed %d", seed).containsSubsequence("committed", "after");
      if (!(reply instanceof RaftReply.TimedOut)) {
        // NotLeader and NoLeader promise the write never takes effect.
        assertThat(applied)
            .as("seed %d: answered %s", seed, reply)
            .containsExactly("committed", "after");
      }
    }
  }

  @Test
  void uncommittedEntriesOfDeposedLeaderAreOverwrittenOnEveryPeer() {
    long seed = 6;
    try (var cluster = start(5, seed, PATIENT_CLIENTS)) {
      String oldLeader = cluster.awaitLeader(ELECTION_WAIT);
      long oldTerm = status(cluster, oldLeader).term();
      ok(cluster, cluster.write(oldLeader, "base"), "write before the partition");
      awaitAgreement(cluster, oldLeader, oldTerm, CATCH_UP_WAIT);
      long baseIndex = awaitConvergence(cluster, CATCH_UP_WAIT);
      List<String> followers = others(cluster.ids(), oldLeader);
      String companion = followers.get(0);
      Set<String> majority = new HashSet<>(followers.subList(1, followers.size()));

      cluster.network().partition(Set.of(oldLeader, companion), majority);
      TestProbe<RaftReply<List<String>>> client = testKit.createTestProbe();
      for (int i = 1; i <= 3; i++) {
        cluster.peer(oldLeader).tell(new RaftPeer.Write<>("stale-" + i, client.ref()));
      }
      // The old leader replicates to its companion, but two of five are no majority.
      Await.until(
          "the stale writes stored by " + oldLeader + " and " + companion + " (seed " + seed + ")",
          CATCH_UP_WAIT,
          () ->
              durableLog(cluster, oldLeader).size() == baseIndex + 3
                  && durableLog(cluster, companion).size() == baseIndex + 3);
      List<LogEntry> stale =
          List.copyOf(durableLog(cluster, oldLeader).subList((int) baseIndex, (int) baseIndex + 3));
      assertThat(stale)
          .as("seed %d: the stale entries", seed)
          .extracting(LogEntry::term)
          .containsOnly(oldTerm);
      assertThat(durableLog(cluster, companion)).as("seed %d", seed).containsAll(stale);

      String newLeader = awaitLeaderAmong(cluster, majority, oldTerm, ELECTION_WAIT);
      long newTerm = status(cluster, newLeader).term();
      for (String command : List.of("fresh-1", "fresh-2", "fresh-3")) {
        ok(cluster, cluster.write(newLeader, command), "write to the majority's leader");
      }
      assertThat(status(cluster, oldLeader).commitIndex())
          .as("seed %d: the old leader never committed its stale entries", seed)
          .isEqualTo(baseIndex);
      assertThat(status(cluster, companion).commitIndex()).as("seed %d", seed).isEqualTo(baseIndex);

      cluster.network().heal();
      for (int i = 1; i <= 3; i++) {
        assertThat(client.receiveMessage(Duration.ofSeconds(15)))
            .as("seed %d: answer to a stale write", seed)
            .isInstanceOfAny(
                RaftReply.NotLeader.class, RaftReply.NoLeader.class, RaftReply.TimedOut.class);
      }
      awaitAgreement(cluster, newLeader, newTerm, CATCH_UP_WAIT);
      long lastIndex = awaitConvergence(cluster, CATCH_UP_WAIT);

      // If an existing entry conflicts with a new one, delete it and all that follow (§5.3):
      // every durable log is now the new leader's, up to and including the commit index.
      assertThat(sameDurableLogEverywhere(cluster, newLeader))
          .as("seed %d: the new leader's log", seed)
          .hasSize((int) lastIndex)
          .doesNotContainAnyElementsOf(stale);
      assertThat(sameHistoryEverywhere(cluster))
          .as("seed %d: applied commands", seed)
          .containsExactly("base", "fresh-1", "fresh-2", "fresh-3");
    }
  }
}
