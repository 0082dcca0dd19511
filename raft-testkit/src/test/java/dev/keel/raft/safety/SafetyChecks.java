package dev.keel.raft.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import dev.keel.raft.persistence.InMemoryRaftStorage;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.RaftStorage;
import dev.keel.raft.protocol.RaftMessage;
import dev.keel.raft.testkit.Await;
import dev.keel.raft.testkit.InProcessNetwork;
import dev.keel.raft.testkit.TestCluster;
import dev.keel.raft.testkit.kv.KvCommand;
import dev.keel.raft.testkit.kv.KvQuery;
import dev.keel.raft.testkit.kv.KvResult;
import dev.keel.raft.testkit.linearizability.CheckResult;
import dev.keel.raft.testkit.linearizability.HistoryRecorder;
import dev.keel.raft.testkit.linearizability.KvModel;
import dev.keel.raft.testkit.linearizability.KvOp;
import dev.keel.raft.testkit.linearizability.LinearizabilityChecker;
import dev.keel.raft.testkit.linearizability.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.LongStream;

/** Checks of Raft's safety properties shared by the randomized tests. */
final class SafetyChecks {

  // The client id of the final reads, apart from the load's clients.
  private static final int FINAL_READER = 99;

  private SafetyChecks() {}

  /**
   * Election safety, watched on the wire: every AppendEntries of a term must come from one leader
   * (§5.2). Each leader sends one at once, so every leader is seen.
   */
  static final class LeaderPerTerm {
    private final Map<Long, String> leaderOfTerm = new ConcurrentHashMap<>();
    private final List<String> violations = new ArrayList<>();

    LeaderPerTerm(InProcessNetwork network) {
      network.observe(
          delivery -> {
            if (delivery.message() instanceof RaftMessage.AppendEntries append) {
              String previous = leaderOfTerm.putIfAbsent(append.term(), append.leaderId());
              if (previous != null && !previous.equals(append.leaderId())) {
                synchronized (violations) {
                  violations.add(
                      "term " + append.term() + ": " + previous + " and " + append.leaderId());
                }
              }
            }
          });
    }

    List<String> violations() {
      synchronized (violations) {
        return List.copyOf(violations);
      }
    }

    int terms() {
      return leaderOfTerm.size();
    }
  }

  /**
   * If two logs hold an entry with the same index and term, they are identical up to it (§5.3).
   * Entries a snapshot replaced are not compared; the logs are compared where both hold entries.
   */
  static void assertLogMatching(TestCluster<?, ?, ?> cluster, long seed) {
    assertLogMatching(cluster, seed, id -> durableLog(cluster, id));
  }

  /**
   * The log after the latest snapshot that peer {@code id}'s storage holds: read directly from an
   * in-memory storage, else recovered from it (call that only once the cluster is stopped).
   */
  static List<LogEntry> durableLog(TestCluster<?, ?, ?> cluster, String id) {
    RaftStorage storage = cluster.storage(id);
    if (storage instanceof InMemoryRaftStorage memory) {
      return memory.entries();
    }
    return storage.recover().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join().entries();
  }

  /**
   * As {@link #assertLogMatching(TestCluster, long)}, reading each peer's durable log with {@code
   * durableLog}.
   */
  static void assertLogMatching(
      TestCluster<?, ?, ?> cluster, long seed, Function<String, List<LogEntry>> durableLog) {
    List<Map<Long, LogEntry>> logs = new ArrayList<>();
    for (String id : cluster.ids()) {
      Map<Long, LogEntry> byIndex = new TreeMap<>();
      for (LogEntry entry : durableLog.apply(id)) {
        byIndex.put(entry.index(), entry);
      }
      logs.add(byIndex);
    }
    for (int a = 0; a < logs.size(); a++) {
      for (int b = a + 1; b < logs.size(); b++) {
        Map<Long, LogEntry> x = logs.get(a);
        Map<Long, LogEntry> y = logs.get(b);
        long lastSameTerm = 0;
        for (Map.Entry<Long, LogEntry> entry : x.entrySet()) {
          LogEntry other = y.get(entry.getKey());
          if (other != null && other.term() == entry.getValue().term()) {
            lastSameTerm = entry.getKey();
          }
        }
        for (Map.Entry<Long, LogEntry> entry : x.entrySet()) {
          LogEntry other = y.get(entry.getKey());
          if (entry.getKey() <= lastSameTerm && other != null) {
            assertThat(other)
                .as(
                    "log matching between %s and %s at %d, seed %d",
                    cluster.ids().get(a), cluster.ids().get(b), entry.getKey(), seed)
                .isEqualTo(entry.getValue());
          }
        }
      }
    }
  }

  /**
   * The seeds a randomized test runs: {@code -Dkeel.seed=S} replays one; otherwise {@code count}
   * consecutive seeds from {@code base}, where {@code countProperty} may override the count.
   */
  static List<Long> seeds(String countProperty, int count, long base) {
    String single = System.getProperty("keel.seed");
    if (single != null) {
      return List.of(Long.parseLong(single));
    }
    int n = Integer.getInteger(countProperty, count);
    return LongStream.range(0, n).mapToObj(i -> base + i).toList();
  }

  /**
   * Ends a key-value run and checks it. With the clients stopped and the network healed: reads
   * every key once more (a lost acknowledged write shows up in the history), writes once more,
   * which commits everything before it (§5.4.2), and waits until every peer applied that write.
   * Then asserts: the history is linearizable, at most one leader per term, every replica applied
   * the same commands in the same order, no unexpected rejections, every replica holds the same
   * data, every acknowledged write got a log index of its own below the final write's, and the
   * final reads and write succeed once the faults are healed. Log matching is left to the caller,
   * who knows where the durable logs are.
   *
   * @return the linearizability check's result, for reports
   */
  static CheckResult assertKeyValueStoreSafe(
      TestCluster<KvCommand, KvQuery, KvResult> cluster,
      KvClients clients,
      HistoryRecorder<KvOp<String, String>, Response<String>> history,
      LeaderPerTerm leaders,
      ApplyRecorder applies,
      long seed,
      String context) {
    for (int k = 0; k < KvClients.KEYS; k++) {
      assertThat(clients.finalRead(FINAL_READER, "k" + k))
          .as("final read of k%d once healed, %s", k, context)
          .isTrue();
    }
    RaftReply<KvResult> last =
        cluster.writeToLeader(new KvCommand.Put("final", "done"), Duration.ofSeconds(20));
    assertThat(last).as("final write, " + context).isInstanceOf(RaftReply.Ok.class);
    long lastIndex = ((RaftReply.Ok<KvResult>) last).index();
    awaitAllApplied(cluster, lastIndex, seed);

    CheckResult result =
        LinearizabilityChecker.check(KvModel.create(), history.history(), Duration.ofSeconds(30));
    assertThat(result.outcome())
        .as("linearizability, %s:%n%s", context, result.explanation())
        .isEqualTo(CheckResult.Outcome.LINEARIZABLE);
    assertThat(leaders.violations()).as("one leader per term, " + context).isEmpty();
    assertThat(applies.violations()).as("same commands in same order, " + context).isEmpty();
    assertThat(clients.unexpectedRejections()).as("rejections, " + context).isEmpty();
    assertReplicasAgree(cluster, context);
    assertThat(clients.sharedIndexes())
        .as("each acknowledged write has its own log index, " + context)
        .isEmpty();
    assertThat(clients.highestAcknowledgedIndex())
        .as("acknowledged writes precede the final write in the log, " + context)
        .isLessThan(lastIndex);
    return result;
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

  /** Waits until every peer runs and has applied at least {@code index}. */
  static void awaitAllApplied(TestCluster<?, ?, ?> cluster, long index, long seed) {
    Await.until(
        "every peer applied index " + index + ", seed " + seed,
        Duration.ofSeconds(20),
        () -> {
          List<PeerStatus> statuses = cluster.statuses();
          return statuses.size() == cluster.ids().size()
              && statuses.stream().allMatch(s -> s.lastApplied() >= index);
        });
  }
}
