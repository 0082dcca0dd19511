package dev.keel.raft.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.PeerStatus;
import dev.keel.raft.persistence.InMemoryRaftStorage;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.protocol.RaftMessage;
import dev.keel.raft.testkit.Await;
import dev.keel.raft.testkit.InProcessNetwork;
import dev.keel.raft.testkit.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.LongStream;

/** Checks of Raft's safety properties shared by the randomized tests. */
final class SafetyChecks {

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
    assertLogMatching(cluster, seed, id -> ((InMemoryRaftStorage) cluster.storage(id)).entries());
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
