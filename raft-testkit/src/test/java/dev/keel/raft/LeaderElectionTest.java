package dev.keel.raft;

import static dev.keel.raft.ClusterChecks.CATCH_UP_WAIT;
import static dev.keel.raft.ClusterChecks.ELECTION_WAIT;
import static dev.keel.raft.ClusterChecks.awaitAgreement;
import static dev.keel.raft.ClusterChecks.awaitConvergence;
import static dev.keel.raft.ClusterChecks.awaitLeaderAmong;
import static dev.keel.raft.ClusterChecks.ok;
import static dev.keel.raft.ClusterChecks.recordLeadersByTerm;
import static dev.keel.raft.ClusterChecks.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.protocol.RaftMessage;
import dev.keel.raft.testkit.Await;
import dev.keel.raft.testkit.InProcessNetwork;
import dev.keel.raft.testkit.TestCluster;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Leader election in real-actor clusters: one agreed leader (§5.2), and pre-vote (thesis §9.6). */
class LeaderElectionTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static TestCluster<String, RegisterStateMachine.Get, Optional<String>> start(
      int nodes, long seed, RaftSettings settings) {
    return TestCluster.builder(RegisterStateMachine::ofStrings)
        .nodes(nodes)
        .seed(seed)
        .settings(settings)
        .start(testKit.system());
  }

  @ParameterizedTest(name = "{0} peers")
  @ValueSource(ints = {3, 5})
  void electsExactlyOneLeaderThatEveryPeerAgreesOn(int nodes) {
    long seed = 100 + nodes;
    try (var cluster = start(nodes, seed, TestCluster.fastSettings())) {
      // Election Safety (§5.2, Figure 3): at most one leader per term. Every AppendEntries names
      // its sender as leader of its term; record them all from the first message on.
      Map<Long, Set<String>> leadersByTerm = recordLeadersByTerm(cluster.network());

      String leader = cluster.awaitLeader(ELECTION_WAIT);
      long term = status(cluster, leader).term();
      awaitAgreement(cluster, leader, term, ELECTION_WAIT);

      List<PeerStatus> statuses = cluster.statuses();
      assertThat(statuses).as("seed %d: every peer answers", seed).hasSize(nodes);
      assertThat(statuses)
          .as("seed %d: exactly one leader", seed)
          .filteredOn(s -> s.role() == PeerStatus.Role.LEADER)
          .extracting(PeerStatus::name)
          .containsExactly(leader);
      assertThat(statuses)
          .as("seed %d: every peer names %s as leader of term %d", seed, leader, term)
          .allSatisfy(
              s -> {
                assertThat(s.term()).isEqualTo(term);
                assertThat(s.leader()).isEqualTo(leader);
              });
      assertThat(status(cluster, leader).metrics().electionsWon())
          .as("seed %d: the leader counts its won election", seed)
          .isGreaterThanOrEqualTo(1);
      assertThat(leadersByTerm)
          .as("seed %d: leaders seen per term", seed)
          .containsKey(term)
          .allSatisfy((t, leaders) -> assertThat(leaders).as("leaders of term %d", t).hasSize(1));
      assertThat(leadersByTerm.get(term)).containsExactly(leader);
    }
  }

  @Test
  void isolatedFollowerDoesNotRaiseItsTermWithPreVote() {
    long seed = 201;
    try (var cluster = start(3, seed, TestCluster.fastSettings())) {
      String leader = cluster.awaitLeader(ELECTION_WAIT);
      long term = status(cluster, leader).term();
      awaitAgreement(cluster, leader, term, ELECTION_WAIT);
      String isolated = cluster.ids().stream().filter(id -> !id.equals(leader)).findFirst().get();
      Campaigns campaigns = Campaigns.of(cluster.network(), isolated);
      // It may have campaigned in the first election (a busy machine delays timers): count from
      // here.
      long electionsBefore = status(cluster, isolated).metrics().electionsStarted();

      cluster.network().isolate(isolated, cluster.ids());
      // Let it time out and campaign several times: each round asks both others.
      Await.until(
          "three campaigns of " + isolated + " (seed " + seed + ")",
          ELECTION_WAIT,
          () -> campaigns.total() >= 3 * (cluster.ids().size() - 1));

      PeerStatus cutOff = status(cluster, isolated);
      assertThat(cutOff.term())
          .as("seed %d: a pre-vote that wins no majority changes no term (thesis §9.6)", seed)
          .isEqualTo(term);
      assertThat(cutOff.role()).as("seed %d", seed).isNotEqualTo(PeerStatus.Role.LEADER);
      assertThat(cutOff.metrics().electionsStarted())
          .as("seed %d", seed)
          .isEqualTo(electionsBefore);
      assertThat(campaigns.votes.get()).as("seed %d: real RequestVotes sent", seed).isZero();
      PeerStatus leaderStatus = status(cluster, leader);
      assertThat(leaderStatus.role()).as("seed %d", seed).isEqualTo(PeerStatus.Role.LEADER);
      assertThat(leaderStatus.term()).as("seed %d", seed).isEqualTo(term);

      cluster.network().heal();
      // The returning node follows the same leader in the same term: nobody was deposed.
      awaitAgreement(cluster, leader, term, CATCH_UP_WAIT);
      ok(cluster, cluster.write(leader, "after-heal"), "write through the undisturbed leader");
      awaitConvergence(cluster, CATCH_UP_WAIT);
      assertThat(cluster.statuses())
          .as("seed %d: leader and term unchanged after heal", seed)
          .hasSize(3)
          .allSatisfy(
              s -> {
                assertThat(s.term()).isEqualTo(term);
                assertThat(s.leader()).isEqualTo(leader);
              });
      RaftReply<Optional<String>> local =
          cluster.read(isolated, RegisterStateMachine.Get.VALUE, RaftPeer.ReadConsistency.LOCAL);
      assertThat(ok(cluster, local, "local read at " + isolated).result())
          .as("seed %d: the returning node caught up", seed)
          .contains("after-heal");
    }
  }

  /** The contrast to the test above: it shows that the isolation does cause campaigns. */
  @Test
  void isolatedFollowerRaisesItsTermAndDeposesTheLeaderWithoutPreVote() {
    long seed = 202;
    RaftSettings noPreVote = TestCluster.fastSettings().withElectionSafeguards(false, true);
    try (var cluster = start(3, seed, noPreVote)) {
      String leader = cluster.awaitLeader(ELECTION_WAIT);
      long term = status(cluster, leader).term();
      awaitAgreement(cluster, leader, term, ELECTION_WAIT);
      String isolated = cluster.ids().stream().filter(id -> !id.equals(leader)).findFirst().get();
      Campaigns campaigns = Campaigns.of(cluster.network(), isolated);

      cluster.network().isolate(isolated, cluster.ids());
      Await.until(
          "the term of isolated " + isolated + " rising above " + term + " (seed " + seed + ")",
          ELECTION_WAIT,
          () -> status(cluster, isolated).term() > term && campaigns.votes.get() > 0);

      assertThat(campaigns.preVotes.get()).as("seed %d: pre-votes sent", seed).isZero();
      long inflated = status(cluster, isolated).term();

      cluster.network().heal();
      // Its higher term reaches the leader in an AppendEntries answer, and the leader steps
      // down (§5.1): the disruption pre-vote exists to prevent.
      String next = awaitLeaderAmong(cluster, cluster.ids(), term, ELECTION_WAIT);
      assertThat(status(cluster, next).term())
          .as("seed %d: the cluster moved past the inflated term %d", seed, inflated)
          .isGreaterThanOrEqualTo(inflated)
          .isGreaterThan(term);
    }
  }

  /** Counts the vote requests one peer sends, delivered or not. */
  private record Campaigns(AtomicInteger preVotes, AtomicInteger votes) {
    int total() {
      return preVotes.get() + votes.get();
    }

    static Campaigns of(InProcessNetwork network, String candidate) {
      Campaigns campaigns = new Campaigns(new AtomicInteger(), new AtomicInteger());
      network.observe(
          d -> {
            if (d.from().equals(candidate) && d.message() instanceof RaftMessage.RequestVote vote) {
              (vote.preVote() ? campaigns.preVotes : campaigns.votes).incrementAndGet();
            }
          });
      return campaigns;
    }
  }
}
