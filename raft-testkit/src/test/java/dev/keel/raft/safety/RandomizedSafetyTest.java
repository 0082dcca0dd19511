package dev.keel.raft.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftReply;
import dev.keel.raft.persistence.InMemoryRaftStorage;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.protocol.RaftMessage;
import dev.keel.raft.testkit.Await;
import dev.keel.raft.testkit.Fault;
import dev.keel.raft.testkit.Nemesis;
import dev.keel.raft.testkit.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import java.util.stream.Stream;
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

  static Stream<Long> seeds() {
    String single = System.getProperty("keel.seed");
    if (single != null) {
      return Stream.of(Long.parseLong(single));
    }
    int count = Integer.getInteger("keel.seeds", 12);
    return LongStream.range(0, count).mapToObj(i -> 7_000L + i);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void clusterStaysSafeUnderRandomFaults(long seed) throws Exception {
    int nodes = seed % 2 == 0 ? 3 : 5;
    ApplyRecorder recorder = new ApplyRecorder();
    AtomicInteger instances = new AtomicInteger();
    Map<Long, String> leaderOfTerm = new ConcurrentHashMap<>();
    List<String> electionViolations = new ArrayList<>();
    try (TestCluster<String, String, Integer> cluster =
        TestCluster.builder(
                () -> new RecordingStateMachine(recorder, "sm-" + instances.incrementAndGet()))
            .nodes(nodes)
            .seed(seed)
            .start(testKit.system())) {
      cluster
          .network()
          .observe(
              delivery -> {
                if (delivery.message() instanceof RaftMessage.AppendEntries append) {
                  String previous = leaderOfTerm.putIfAbsent(append.term(), append.leaderId());
                  if (previous != null && !previous.equals(append.leaderId())) {
                    synchronized (electionViolations) {
                      electionViolations.add(
                          "term " + append.term() + ": " + previous + " and " + append.leaderId());
                    }
                  }
                }
              });
      Nemesis nemesis = new Nemesis(cluster, seed, EnumSet.allOf(Fault.class));
      Clients clients = new Clients(cluster, 3);
      clients.start();
      try {
        for (int step = 0; step < STEPS; step++) {
          nemesis.run(STEP, STEP, STEP);
          assertLogMatching(cluster, seed);
        }
      } finally {
        clients.stop();
      }
      nemesis.healAll();
      converge(cluster, seed, nemesis);

      String context = "seed " + seed + " (" + nodes + " nodes)";
      assertThat(electionViolations).as("two leaders in one term, " + context).isEmpty();
      assertThat(recorder.violations()).as("state machine safety, " + context).isEmpty();
      assertLogMatching(cluster, seed);
      Set<String> applied = new HashSet<>(recorder.canonical());
      assertThat(applied).as("acknowledged writes, " + context).containsAll(clients.acked());
      assertThat(clients.acked()).as("some writes succeeded, " + context).isNotEmpty();
      assertThat(leaderOfTerm).as("leaders were elected, " + context).isNotEmpty();
      System.out.printf(
          "safety %s: %d acknowledged writes, %d applied commands, %d terms with a leader,"
              + " faults %s%n",
          context, clients.acked().size(), applied.size(), leaderOfTerm.size(), nemesis.history());
    }
  }

  private static void converge(
      TestCluster<String, String, Integer> cluster, long seed, Nemesis nemesis) {
    // A write in the final term commits everything before it (§5.4.2).
    RaftReply<Integer> last = cluster.writeToLeader("final", Duration.ofSeconds(20));
    assertThat(last)
        .as("final write, seed %d, faults %s", seed, nemesis.history())
        .isInstanceOf(RaftReply.Ok.class);
    long finalIndex = ((RaftReply.Ok<Integer>) last).index();
    Await.until(
        "every peer applied index " + finalIndex + ", seed " + seed,
        Duration.ofSeconds(20),
        () -> {
          List<PeerStatus> statuses = cluster.statuses();
          return statuses.size() == cluster.ids().size()
              && statuses.stream().allMatch(s -> s.lastApplied() >= finalIndex);
        });
  }

  /** If two logs hold an entry with the same index and term, they are identical up to it (§5.3). */
  private static void assertLogMatching(TestCluster<String, String, Integer> cluster, long seed) {
    List<List<LogEntry>> logs = new ArrayList<>();
    for (String id : cluster.ids()) {
      logs.add(((InMemoryRaftStorage) cluster.storage(id)).entries());
    }
    for (int a = 0; a < logs.size(); a++) {
      for (int b = a + 1; b < logs.size(); b++) {
        List<LogEntry> x = logs.get(a);
        List<LogEntry> y = logs.get(b);
        int common = Math.min(x.size(), y.size());
        int lastSameTerm = -1;
        for (int i = 0; i < common; i++) {
          if (x.get(i).term() == y.get(i).term()) {
            lastSameTerm = i;
          }
        }
        assertThat(x.subList(0, lastSameTerm + 1))
            .as(
                "log matching between %s and %s, seed %d",
                cluster.ids().get(a), cluster.ids().get(b), seed)
            .isEqualTo(y.subList(0, lastSameTerm + 1));
      }
    }
  }

  /** Writers that keep proposing unique commands through whichever peer leads. */
  private static final class Clients {
    private final TestCluster<String, String, Integer> cluster;
    private final List<Thread> threads = new ArrayList<>();
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;

    Clients(TestCluster<String, String, Integer> cluster, int count) {
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
        RaftReply<Integer> reply = cluster.writeToLeader(command, Duration.ofSeconds(1));
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
