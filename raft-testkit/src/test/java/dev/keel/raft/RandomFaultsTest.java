package dev.keel.raft;

import static dev.keel.raft.ClusterChecks.ELECTION_WAIT;
import static dev.keel.raft.ClusterChecks.assertAnswersAgreeWith;
import static dev.keel.raft.ClusterChecks.awaitConvergence;
import static dev.keel.raft.ClusterChecks.ok;
import static dev.keel.raft.ClusterChecks.recordLeadersByTerm;
import static dev.keel.raft.ClusterChecks.sameDurableLogEverywhere;
import static dev.keel.raft.ClusterChecks.sameHistoryEverywhere;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.ClusterChecks.Writers;
import dev.keel.raft.testkit.Await;
import dev.keel.raft.testkit.InProcessNetwork;
import dev.keel.raft.testkit.TestCluster;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Raft's safety properties (Figure 3) under a seeded schedule of partitions, one-way cuts, crashes
 * and restarts, over a network that also loses, duplicates and delays messages, while clients keep
 * writing. The schedule is seeded; thread timing is not, so each run explores a neighbouring
 * interleaving.
 */
class RandomFaultsTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void safetyHoldsUnderPartitionsCrashesAndMessageFaults() throws Exception {
    long seed = 12;
    RaftSettings settings =
        TestCluster.fastSettings()
            .withRequestTimeout(Duration.ofSeconds(1))
            .withAppendLimits(4, 4096, 2);
    try (var cluster =
        TestCluster.builder(RecordingStateMachine::create)
            .nodes(5)
            .seed(seed)
            .settings(settings)
            .start(testKit.system())) {
      Map<Long, Set<String>> leadersByTerm = recordLeadersByTerm(cluster.network());
      cluster.awaitLeader(ELECTION_WAIT);

      Map<String, RaftReply<List<String>>> answers;
      try (Writers writers =
          Writers.start(cluster, "client", 2, Integer.MAX_VALUE, Duration.ofSeconds(2))) {
        runFaultSchedule(cluster, new Random(seed));
        answers = writers.stop(Duration.ofSeconds(30));
      }

      cluster.awaitLeader(ELECTION_WAIT);
      ok(cluster, cluster.writeToLeader("final", Duration.ofSeconds(5)), "write after healing");
      awaitConvergence(cluster, Duration.ofSeconds(15));

      // Election Safety: at most one leader per term.
      assertThat(leadersByTerm)
          .as("seed %d: leaders per term", seed)
          .allSatisfy((term, leaders) -> assertThat(leaders).as("term %d", term).hasSize(1));
      // Log Matching and Leader Completeness: once healed, every durable log is the same.
      sameDurableLogEverywhere(cluster, cluster.ids().get(0));
      // State Machine Safety, and answers that tell the truth.
      List<String> applied = sameHistoryEverywhere(cluster);
      assertThat(applied).as("seed %d", seed).contains("final");
      assertAnswersAgreeWith(cluster, answers, applied);
    }
  }

  /** Sixteen faults a few hundred milliseconds apart, then everything healed and restarted. */
  private static void runFaultSchedule(
      TestCluster<String, RecordingStateMachine.Query, List<String>> cluster, Random schedule) {
    messageFaults(cluster.network());
    for (int step = 0; step < 16; step++) {
      injectFault(cluster, schedule);
      // Paces the fault schedule; it waits for no state.
      Await.pause(Duration.ofMillis(100 + schedule.nextInt(300)));
    }
    cluster.network().heal();
    for (String id : cluster.ids()) {
      if (!cluster.isUp(id)) {
        cluster.restart(id);
      }
    }
  }

  private static void messageFaults(InProcessNetwork network) {
    network.setDropRate(0.05);
    network.setDuplicateRate(0.1);
    network.setMaxDelay(Duration.ofMillis(30));
  }

  private static void injectFault(
      TestCluster<String, RecordingStateMachine.Query, List<String>> cluster, Random schedule) {
    List<String> ids = cluster.ids();
    String a = ids.get(schedule.nextInt(ids.size()));
    String b = ids.get(schedule.nextInt(ids.size()));
    switch (schedule.nextInt(6)) {
      case 0 -> cluster.network().isolate(a, ids);
      case 1 -> {
        cluster.network().heal();
        messageFaults(cluster.network());
      }
      case 2 -> {
        if (cluster.upPeers().size() > ids.size() / 2 + 1) {
          cluster.crash(a);
        }
      }
      case 3 -> {
        for (String id : ids) {
          if (!cluster.isUp(id)) {
            cluster.restart(id);
          }
        }
      }
      case 4 -> {
        if (!a.equals(b)) {
          cluster.network().cutOneWay(a, b);
        }
      }
      default -> {
        Set<String> minority = new HashSet<>(ids.subList(0, 2));
        Set<String> rest = new HashSet<>(ids);
        rest.removeAll(minority);
        cluster.network().partition(minority, rest);
      }
    }
  }
}
