package dev.keel.raft.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import dev.keel.raft.testkit.Fault;
import dev.keel.raft.testkit.Nemesis;
import dev.keel.raft.testkit.TestCluster;
import dev.keel.raft.testkit.kv.KvCommand;
import dev.keel.raft.testkit.kv.KvQuery;
import dev.keel.raft.testkit.kv.KvResult;
import dev.keel.raft.testkit.linearizability.CheckResult;
import dev.keel.raft.testkit.linearizability.History;
import dev.keel.raft.testkit.linearizability.HistoryRecorder;
import dev.keel.raft.testkit.linearizability.KvModel;
import dev.keel.raft.testkit.linearizability.KvOp;
import dev.keel.raft.testkit.linearizability.LinearizabilityChecker;
import dev.keel.raft.testkit.linearizability.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keel's safety campaign: 3- and 5-node clusters of a key-value store under concurrent clients
 * while the nemesis partitions, isolates, cuts links one way, drops, delays, duplicates, crashes,
 * restarts and pauses peers. Afterwards: the client history is linearizable (which includes "no
 * acknowledged write is lost": every key is read at the end), there was at most one leader per
 * term, logs match, every replica applied the same commands in the same order, and all replicas
 * hold the same data. {@code -Dkeel.campaign.seeds=N} runs more seeds; {@code -Dkeel.seed=S}
 * replays one.
 */
class SafetyCampaignTest {

  private static final ActorTestKit testKit = ActorTestKit.create("campaign");
  private static final Duration FAULT_PHASE = Duration.ofMillis(2_000);
  private static final int FINAL_READER = 99;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  static List<Long> seeds() {
    return SafetyChecks.seeds("keel.campaign.seeds", 50, 9_000L);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void keyValueStoreStaysLinearizableUnderFaults(long seed) throws Exception {
    int nodes = seed % 2 == 0 ? 3 : 5;
    String context = "seed " + seed + " (" + nodes + " nodes)";
    ApplyRecorder applies = new ApplyRecorder();
    AtomicInteger instances = new AtomicInteger();
    HistoryRecorder<KvOp<String, String>, Response<String>> history = new HistoryRecorder<>();
    try (TestCluster<KvCommand, KvQuery, KvResult> cluster =
        TestCluster.builder(
                () ->
                    new RecordingKeyValueStateMachine(applies, "sm-" + instances.incrementAndGet()))
            .nodes(nodes)
            .seed(seed)
            .start(testKit.system())) {
      SafetyChecks.LeaderPerTerm leaders = new SafetyChecks.LeaderPerTerm(cluster.network());
      Nemesis nemesis = new Nemesis(cluster, seed, EnumSet.allOf(Fault.class));
      KvClients clients = new KvClients(cluster, history, 4, seed);
      clients.start();
      try {
        nemesis.run(FAULT_PHASE, Duration.ofMillis(100), Duration.ofMillis(400));
      } finally {
        clients.stop();
      }
      nemesis.healAll();
      String faults = " faults " + nemesis.history();

      // Every key is read once more after healing: a lost acknowledged write shows up here.
      for (int k = 0; k < KvClients.KEYS; k++) {
        clients.read(FINAL_READER, "k" + k);
      }
      long finalIndex = finalWrite(cluster, context + faults);
      SafetyChecks.awaitAllApplied(cluster, finalIndex, seed);

      History<KvOp<String, String>, Response<String>> recorded = history.history();
      CheckResult result =
          LinearizabilityChecker.check(KvModel.create(), recorded, Duration.ofSeconds(30));
      assertThat(result.outcome())
          .as("linearizability, %s%s:%n%s", context, faults, result.explanation())
          .isEqualTo(CheckResult.Outcome.LINEARIZABLE);
      assertThat(leaders.violations()).as("one leader per term, " + context).isEmpty();
      assertThat(applies.violations()).as("same commands in same order, " + context).isEmpty();
      assertThat(clients.unexpectedRejections()).as("rejections, " + context).isEmpty();
      SafetyChecks.assertLogMatching(cluster, seed);
      assertReplicasAgree(cluster, context);
      assertThat(clients.okCount()).as("operations that succeeded, " + context).isPositive();
      System.out.printf(
          "campaign %s: %d operations (%d ok, %d indeterminate), %d terms with a leader,"
              + " checked in %d ms;%s%n",
          context,
          recorded.size(),
          clients.okCount(),
          clients.indeterminateCount(),
          leaders.terms(),
          result.elapsed().toMillis(),
          faults);
    }
  }

  private static long finalWrite(
      TestCluster<KvCommand, KvQuery, KvResult> cluster, String context) {
    RaftReply<KvResult> last =
        cluster.writeToLeader(new KvCommand.Put("final", "done"), Duration.ofSeconds(20));
    assertThat(last).as("final write, " + context).isInstanceOf(RaftReply.Ok.class);
    return ((RaftReply.Ok<KvResult>) last).index();
  }

  /** Every replica's local copy of every key is the same once all applied the same index. */
  private static void assertReplicasAgree(
      TestCluster<KvCommand, KvQuery, KvResult> cluster, String context) {
    List<List<String>> copies = new ArrayList<>();
    for (String id : cluster.ids()) {
      List<String> copy = new ArrayList<>();
      for (int k = 0; k < KvClients.KEYS; k++) {
        RaftReply<KvResult> reply =
            cluster.read(id, new KvQuery("k" + k), RaftPeer.ReadConsistency.LOCAL);
        assertThat(reply).as("local read at %s, %s", id, context).isInstanceOf(RaftReply.Ok.class);
        copy.add(String.valueOf(((RaftReply.Ok<KvResult>) reply).result().value()));
      }
      copies.add(copy);
    }
    assertThat(copies).as("replicas agree, " + context).allMatch(copies.get(0)::equals);
  }
}
