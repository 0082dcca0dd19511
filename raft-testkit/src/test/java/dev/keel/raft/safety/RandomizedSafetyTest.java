package dev.keel.raft.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.RaftReply;
import dev.keel.raft.testkit.Fault;
import dev.keel.raft.testkit.Nemesis;
import dev.keel.raft.testkit.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs clusters under random partitions, crashes, restarts and message loss while clients write,
 * and checks Raft's safety properties: election safety (one leader per term), log matching, state
 * machine safety (same commands in the same order everywhere), and that no acknowledged write is
 * lost. Faults follow the seed in the test name; replay one with {@code -Dkeel.seed=SEED}. {@code
 * -Dkeel.seeds=N} runs more seeds.
 */
class RandomizedSafetyTest {

  private static final ActorTestKit testKit = ActorTestKit.create("safety");
  private static final int STEPS = 10;
  private static final Duration STEP = Duration.ofMillis(300);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  static List<Long> seeds() {
    return SafetyChecks.seeds("keel.seeds", 8, 7_000L);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void clusterStaysSafeUnderRandomFaults(long seed) throws Exception {
    int nodes = seed % 2 == 0 ? 3 : 5;
    ApplyRecorder recorder = new ApplyRecorder();
    AtomicInteger instances = new AtomicInteger();
    try (TestCluster<String, String, List<String>> cluster =
        TestCluster.builder(
                () -> new CommandLogStateMachine(recorder, "sm-" + instances.incrementAndGet()))
            .nodes(nodes)
            .seed(seed)
            .start(testKit.system())) {
      SafetyChecks.LeaderPerTerm leaders = new SafetyChecks.LeaderPerTerm(cluster.network());
      Nemesis nemesis = new Nemesis(cluster, seed, EnumSet.allOf(Fault.class));
      Clients clients = new Clients(cluster, 3);
      clients.start();
      try {
        for (int step = 0; step < STEPS; step++) {
          nemesis.run(STEP, STEP, STEP);
          SafetyChecks.assertLogMatching(cluster, seed);
        }
      } finally {
        clients.stop();
      }
      nemesis.healAll();
      converge(cluster, seed, nemesis);

      String context = "seed " + seed + " (" + nodes + " nodes)";
      assertThat(leaders.violations()).as("two leaders in one term, " + context).isEmpty();
      assertThat(recorder.violations()).as("state machine safety, " + context).isEmpty();
      SafetyChecks.assertLogMatching(cluster, seed);
      Set<String> applied = new HashSet<>(recorder.canonical());
      assertThat(applied).as("acknowledged writes, " + context).containsAll(clients.acked());
      assertThat(clients.acked()).as("some writes succeeded, " + context).isNotEmpty();
      assertThat(leaders.terms()).as("leaders were elected, " + context).isPositive();
      System.out.printf(
          "safety %s: %d acknowledged writes, %d applied commands, %d terms with a leader,"
              + " faults %s%n",
          context, clients.acked().size(), applied.size(), leaders.terms(), nemesis.history());
    }
  }

  private static void converge(
      TestCluster<String, String, List<String>> cluster, long seed, Nemesis nemesis) {
    // A write in the final term commits everything before it (§5.4.2).
    RaftReply<List<String>> last = cluster.writeToLeader("final", Duration.ofSeconds(20));
    assertThat(last)
        .as("final write, seed %d, faults %s", seed, nemesis.history())
        .isInstanceOf(RaftReply.Ok.class);
    long finalIndex = ((RaftReply.Ok<List<String>>) last).index();
    SafetyChecks.awaitAllApplied(cluster, finalIndex, seed);
  }

  /** Writers that keep proposing unique commands through whichever peer leads. */
  private static final class Clients {
    private final TestCluster<String, String, List<String>> cluster;
    private final List<Thread> threads = new ArrayList<>();
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;

    Clients(TestCluster<String, String, List<String>> cluster, int count) {
      this.cluster = cluster;
      for (int c = 0; c < count; c++) {
        int client = c;
        threads.add(new Thread(() -> run(client), "client-" + c));
      }
    }

    void start() {
      threads.forEach(Thread::start);
    }

    private void run(int client) {
      for (int n = 0; running && n < 10_000; n++) {
        String command = "c" + client + "-" + n;
        RaftReply<List<String>> reply = cluster.writeToLeader(command, Duration.ofSeconds(1));
        if (reply instanceof RaftReply.Ok) {
          acked.add(command);
        }
      }
    }

    void stop() throws InterruptedException {
      running = false;
      for (Thread thread : threads) {
        thread.join(Duration.ofSeconds(30).toMillis());
      }
    }

    Set<String> acked() {
      return Set.copyOf(acked);
    }
  }
}
