package dev.keel.raft.safety;

import dev.keel.raft.testkit.Fault;
import dev.keel.raft.testkit.Nemesis;
import dev.keel.raft.testkit.TestCluster;
import dev.keel.raft.testkit.kv.KvCommand;
import dev.keel.raft.testkit.kv.KvQuery;
import dev.keel.raft.testkit.kv.KvResult;
import dev.keel.raft.testkit.linearizability.CheckResult;
import dev.keel.raft.testkit.linearizability.HistoryRecorder;
import dev.keel.raft.testkit.linearizability.KvOp;
import dev.keel.raft.testkit.linearizability.Response;
import java.time.Duration;
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

      CheckResult result =
          SafetyChecks.assertKeyValueStoreSafe(
              cluster, clients, history, leaders, applies, seed, context + faults);
      SafetyChecks.assertLogMatching(cluster, seed);
      System.out.printf(
          "campaign %s: %d operations (%d ok, %d indeterminate), %d terms with a leader,"
              + " checked in %d ms;%s%n",
          context,
          history.history().size(),
          clients.okCount(),
          clients.indeterminateCount(),
          leaders.terms(),
          result.elapsed().toMillis(),
          faults);
    }
  }
}
