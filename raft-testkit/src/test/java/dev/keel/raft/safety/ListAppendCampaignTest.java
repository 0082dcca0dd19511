package dev.keel.raft.safety;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import dev.keel.raft.testkit.Fault;
import dev.keel.raft.testkit.Nemesis;
import dev.keel.raft.testkit.TestCluster;
import dev.keel.raft.testkit.linearizability.CheckResult;
import dev.keel.raft.testkit.linearizability.HistoryRecorder;
import dev.keel.raft.testkit.linearizability.LinearizabilityChecker;
import dev.keel.raft.testkit.linearizability.ListAppendModel;
import dev.keel.raft.testkit.linearizability.ListAppendOp;
import dev.keel.raft.testkit.linearizability.OperationHandle;
import dev.keel.raft.testkit.linearizability.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A campaign in which a command applied twice shows: 5-node clusters of append-only lists under the
 * full fault mix, every append carrying a value no other write carries, clients retrying what the
 * peers answer "not proposed" (as {@link TestCluster#writeToLeader} does). Afterwards every list
 * holds each value at most once, every acknowledged append is in its list, the history is
 * linearizable under the list-append model, there was one leader per term, every replica applied
 * the same commands in the same order and holds the same lists. {@code
 * -Dkeel.list-campaign.seeds=N} runs more seeds; {@code -Dkeel.seed=S} replays one.
 */
class ListAppendCampaignTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(
          "list-campaign",
          ConfigFactory.parseResources("list-store.conf").withFallback(ConfigFactory.load()));
  private static final Duration FAULT_PHASE = Duration.ofSeconds(2);
  private static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(1);
  private static final int CLIENTS = 4;
  private static final int KEYS = 3;
  private static final int FINAL_READER = 99;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  static List<Long> seeds() {
    return SafetyChecks.seeds("keel.list-campaign.seeds", 10, 15_000L);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void everyAppendIsAppliedAtMostOnceAndLinearizably(long seed) throws Exception {
    ApplyRecorder applies = new ApplyRecorder();
    AtomicInteger instances = new AtomicInteger();
    HistoryRecorder<ListAppendOp<String, String>, Response<List<String>>> history =
        new HistoryRecorder<>();
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    TestCluster<ListStore.Append, ListStore.Read, List<String>> cluster =
        TestCluster.builder(() -> new ListStore(applies, "sm-" + instances.incrementAndGet()))
            .nodes(5)
            .seed(seed)
            .start(testKit.system());
    String context = "seed " + seed;
    try {
      SafetyChecks.LeaderPerTerm leaders = new SafetyChecks.LeaderPerTerm(cluster.network());
      Nemesis nemesis = new Nemesis(cluster, seed, EnumSet.allOf(Fault.class));
      Clients clients = new Clients(cluster, history, acknowledged, seed);
      clients.start();
      try {
        nemesis.run(FAULT_PHASE, Duration.ofMillis(100), Duration.ofMillis(400));
      } finally {
        clients.stop();
      }
      nemesis.healAll();
      context += " faults " + nemesis.history();

      List<List<String>> finalLists = new ArrayList<>();
      for (int k = 0; k < KEYS; k++) {
        finalLists.add(clients.finalRead("k" + k, context));
      }
      Set<String> seen = new HashSet<>();
      for (List<String> list : finalLists) {
        for (String value : list) {
          assertThat(seen.add(value))
              .as("value %s applied more than once (%s): %s", value, context, finalLists)
              .isTrue();
        }
      }
      assertThat(seen)
          .as("every acknowledged append is in its list, %s", context)
          .containsAll(acknowledged);

      CheckResult result =
          LinearizabilityChecker.check(
              ListAppendModel.<String, String>create(), history.history(), Duration.ofSeconds(30));
      assertThat(result.outcome())
          .as("linearizability, %s:%n%s", context, result.explanation())
          .isEqualTo(CheckResult.Outcome.LINEARIZABLE);
      assertThat(leaders.violations()).as("one leader per term, " + context).isEmpty();
      assertThat(applies.violations()).as("same commands in same order, " + context).isEmpty();
      assertReplicasAgree(cluster, finalLists, context);
      System.out.printf(
          "list campaign %s: %d operations, %d appends acknowledged, %d terms with a leader%n",
          context, history.history().size(), acknowledged.size(), leaders.terms());
    } finally {
      cluster.close();
    }
    SafetyChecks.assertLogMatching(cluster, seed);
  }

  /** Once every peer applied everything, each holds exactly the lists the final reads saw. */
  private static void assertReplicasAgree(
      TestCluster<ListStore.Append, ListStore.Read, List<String>> cluster,
      List<List<String>> finalLists,
      String context) {
    RaftReply<List<String>> marker =
        cluster.writeToLeader(new ListStore.Append("marker", "end"), Duration.ofSeconds(20));
    assertThat(marker).as("marker write, " + context).isInstanceOf(RaftReply.Ok.class);
    SafetyChecks.awaitAllApplied(cluster, ((RaftReply.Ok<List<String>>) marker).index(), 0);
    for (String id : cluster.ids()) {
      for (int k = 0; k < KEYS; k++) {
        List<String> expected = finalLists.get(k);
        RaftReply<List<String>> local =
            cluster.read(id, new ListStore.Read("k" + k), RaftPeer.ReadConsistency.LOCAL);
        assertThat(local)
            .as("local copy of k%d at %s, %s", k, id, context)
            .isInstanceOfSatisfying(
                RaftReply.Ok.class, ok -> assertThat(ok.result()).isEqualTo(expected));
      }
    }
  }

  /** Clients appending unique values and reading lists, recording every operation. */
  private static final class Clients {
    private final TestCluster<ListStore.Append, ListStore.Read, List<String>> cluster;
    private final HistoryRecorder<ListAppendOp<String, String>, Response<List<String>>> history;
    private final Set<String> acknowledged;
    private final ClientThreads threads;

    Clients(
        TestCluster<ListStore.Append, ListStore.Read, List<String>> cluster,
        HistoryRecorder<ListAppendOp<String, String>, Response<List<String>>> history,
        Set<String> acknowledged,
        long seed) {
      this.cluster = cluster;
      this.history = history;
      this.acknowledged = acknowledged;
      this.threads = new ClientThreads("list-client", CLIENTS, seed, this::next);
    }

    void start() {
      threads.start();
    }

    void stop() throws InterruptedException {
      threads.stop();
    }

    private void next(int client, int n, SplittableRandom random) {
      String key = "k" + random.nextInt(KEYS);
      if (random.nextInt(10) < 6) {
        append(client, key, "c" + client + "-" + n);
      } else {
        read(client, key);
      }
    }

    private void append(int client, String key, String value) {
      OperationHandle<Response<List<String>>> handle =
          history.invoke(client, ListAppendOp.append(key, value));
      RaftReply<List<String>> reply =
          cluster.writeToLeader(new ListStore.Append(key, value), OPERATION_TIMEOUT);
      if (reply instanceof RaftReply.Ok<List<String>>) {
        acknowledged.add(value);
        handle.ok(Response.ack());
      } else if (reply instanceof RaftReply.NotLeader || reply instanceof RaftReply.NoLeader) {
        handle.fail(); // not proposed: it never happens
      } else {
        handle.indeterminate();
      }
    }

    private void read(int client, String key) {
      OperationHandle<Response<List<String>>> handle =
          history.invoke(client, ListAppendOp.read(key));
      RaftReply<List<String>> reply =
          cluster.readFromLeader(new ListStore.Read(key), OPERATION_TIMEOUT);
      if (reply instanceof RaftReply.Ok<List<String>> ok) {
        handle.ok(Response.value(ok.result()));
      } else {
        handle.fail(); // a read that returned nothing constrains nothing
      }
    }

    /** A read after the faults: it must succeed, and it is part of the history. */
    List<String> finalRead(String key, String context) {
      OperationHandle<Response<List<String>>> handle =
          history.invoke(FINAL_READER, ListAppendOp.read(key));
      RaftReply<List<String>> reply =
          cluster.readFromLeader(new ListStore.Read(key), Duration.ofSeconds(20));
      assertThat(reply).as("final read of %s, %s", key, context).isInstanceOf(RaftReply.Ok.class);
      List<String> list = ((RaftReply.Ok<List<String>>) reply).result();
      handle.ok(Response.value(list));
      return list;
    }
  }
}
