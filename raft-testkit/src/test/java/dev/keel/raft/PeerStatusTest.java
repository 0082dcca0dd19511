package dev.keel.raft;

import static dev.keel.raft.ClusterChecks.CATCH_UP_WAIT;
import static dev.keel.raft.ClusterChecks.ELECTION_WAIT;
import static dev.keel.raft.ClusterChecks.awaitAgreement;
import static dev.keel.raft.ClusterChecks.awaitConvergence;
import static dev.keel.raft.ClusterChecks.ok;
import static dev.keel.raft.ClusterChecks.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.testkit.Await;
import dev.keel.raft.testkit.TestCluster;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** What {@link RaftPeer.GetStatus} reports, on the leader and on followers. */
class PeerStatusTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void leaderStatusReportsFollowerMatchIndexesAndCountersThatMoveWithWrites() {
    try (TestCluster<String, RegisterStateMachine.Get, Optional<String>> cluster =
        TestCluster.builder(RegisterStateMachine::ofStrings)
            .nodes(3)
            .seed(9)
            .start(testKit.system())) {
      long seed = cluster.seed();
      String leader = cluster.awaitLeader(ELECTION_WAIT);
      long term = status(cluster, leader).term();
      awaitAgreement(cluster, leader, term, ELECTION_WAIT);
      long startIndex = awaitConvergence(cluster, CATCH_UP_WAIT);
      List<String> followers = cluster.ids().stream().filter(id -> !id.equals(leader)).toList();
      PeerStatus before = status(cluster, leader);
      assertLeaderStatus(cluster, before, term, followers);
      Map<String, PeerStatus> followersBefore = new HashMap<>();
      for (String id : followers) {
        PeerStatus follower = status(cluster, id);
        assertThat(follower.role()).as("seed %d: %s", seed, id).isEqualTo(PeerStatus.Role.FOLLOWER);
        assertThat(follower.followerMatchIndex())
            .as("seed %d: only the leader tracks followers", seed)
            .isEmpty();
        followersBefore.put(id, follower);
      }

      int writes = 10;
      for (int i = 0; i < writes; i++) {
        ok(cluster, cluster.write(leader, "w" + i), "write w" + i);
      }
      long lastIndex = awaitConvergence(cluster, CATCH_UP_WAIT);
      assertThat(lastIndex).as("seed %d", seed).isEqualTo(startIndex + writes);
      Await.until(
          "the leader's match index of every follower reaching "
              + lastIndex
              + " (seed "
              + seed
              + ")",
          CATCH_UP_WAIT,
          () ->
              status(cluster, leader).followerMatchIndex().values().stream()
                  .allMatch(match -> match == lastIndex));

      PeerStatus after = status(cluster, leader);
      assertCountersMoved(cluster, before.metrics(), after.metrics(), writes, writes);
      assertThat(after.metrics().electionsWon())
          .as("seed %d", seed)
          .isEqualTo(before.metrics().electionsWon());
      assertThat(after.term()).as("seed %d", seed).isEqualTo(term);
      for (String id : followers) {
        // A follower commits and applies the same entries, and proposes none.
        PeerMetrics was = followersBefore.get(id).metrics();
        assertCountersMoved(cluster, was, status(cluster, id).metrics(), 0, writes);
      }
    }
  }

  private static void assertLeaderStatus(
      TestCluster<?, ?, ?> cluster, PeerStatus status, long term, List<String> followers) {
    long seed = cluster.seed();
    assertThat(status.role()).as("seed %d", seed).isEqualTo(PeerStatus.Role.LEADER);
    assertThat(status.members())
        .as("seed %d", seed)
        .containsExactlyInAnyOrderElementsOf(cluster.ids());
    assertThat(status.followerMatchIndex().keySet())
        .as("seed %d: one match index per follower", seed)
        .containsExactlyInAnyOrderElementsOf(followers);
    PeerMetrics metrics = status.metrics();
    assertThat(metrics.electionsWon()).as("seed %d", seed).isGreaterThanOrEqualTo(1);
    assertThat(metrics.electionsStarted())
        .as("seed %d", seed)
        .isGreaterThanOrEqualTo(metrics.electionsWon());
    assertThat(metrics.currentTerm()).as("seed %d", seed).isEqualTo(term);
    // The peer never restarted, so its counters cover its whole log.
    assertThat(metrics.commits()).as("seed %d", seed).isEqualTo(status.commitIndex());
    assertThat(metrics.applied()).as("seed %d", seed).isEqualTo(status.lastApplied());
  }

  private static void assertCountersMoved(
      TestCluster<?, ?, ?> cluster, PeerMetrics was, PeerMetrics now, int proposed, int written) {
    long seed = cluster.seed();
    assertThat(now.proposals())
        .as("seed %d: proposals", seed)
        .isEqualTo(was.proposals() + proposed);
    assertThat(now.commits()).as("seed %d: commits", seed).isEqualTo(was.commits() + written);
    assertThat(now.applied()).as("seed %d: applied", seed).isEqualTo(was.applied() + written);
  }
}
