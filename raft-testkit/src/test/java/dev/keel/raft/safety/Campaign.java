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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * One run of the safety campaign: a key-value cluster (3 nodes for even seeds, 5 for odd) under 4
 * clients while the nemesis injects every kind of fault for {@code faultPhase}; then heal and check
 * everything {@link SafetyChecks} knows. The cluster builder can be adjusted (storage, settings).
 */
final class Campaign {

  private Campaign() {}

  static void run(
      ActorSystem<?> system,
      long seed,
      Duration faultPhase,
      String label,
      UnaryOperator<TestCluster.Builder<KvCommand, KvQuery, KvResult>> adjust)
      throws Exception {
    int nodes = seed % 2 == 0 ? 3 : 5;
    String context = label + " seed " + seed + " (" + nodes + " nodes)";
    ApplyRecorder applies = new ApplyRecorder();
    AtomicInteger instances = new AtomicInteger();
    HistoryRecorder<KvOp<String, String>, Response<String>> history = new HistoryRecorder<>();
    TestCluster.Builder<KvCommand, KvQuery, KvResult> builder =
        TestCluster.builder(
                () ->
                    new RecordingKeyValueStateMachine(applies, "sm-" + instances.incrementAndGet()))
            .nodes(nodes)
            .seed(seed);
    TestCluster<KvCommand, KvQuery, KvResult> cluster = adjust.apply(builder).start(system);
    try {
      SafetyChecks.LeaderPerTerm leaders = new SafetyChecks.LeaderPerTerm(cluster.network());
      Nemesis nemesis = new Nemesis(cluster, seed, EnumSet.allOf(Fault.class));
      KvClients clients = new KvClients(cluster, history, 4, seed);
      clients.start();
      try {
        nemesis.run(faultPhase, Duration.ofMillis(100), Duration.ofMillis(400));
      } finally {
        clients.stop();
      }
      nemesis.healAll();
      String faults = " faults " + nemesis.history();

      CheckResult result =
          SafetyChecks.assertKeyValueStoreSafe(
              cluster, clients, history, leaders, applies, seed, context + faults);
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
    } finally {
      cluster.close();
    }
    // On what every peer's storage holds, once no peer writes any more.
    SafetyChecks.assertLogMatching(cluster, seed);
  }
}
