package dev.keel.raft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.persistence.InMemoryRaftStorage;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.protocol.RaftMessage;
import dev.keel.raft.testkit.Await;
import dev.keel.raft.testkit.InProcessNetwork;
import dev.keel.raft.testkit.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Waits and checks shared by the cluster scenario tests. Every message names the cluster's seed, so
 * a failure can be replayed.
 */
final class ClusterChecks {

  /** Bound for waits that need an election or two. */
  static final Duration ELECTION_WAIT = Duration.ofSeconds(10);

  /** Bound for waits that only need replication to catch up. */
  static final Duration CATCH_UP_WAIT = Duration.ofSeconds(10);

  private ClusterChecks() {}

  /** The status of a running peer; fails if it does not answer. */
  static PeerStatus status(TestCluster<?, ?, ?> cluster, String id) {
    PeerStatus status = cluster.status(id);
    assertThat(status).as("seed %d: status of %s", cluster.seed(), id).isNotNull();
    return status;
  }

  /**
   * Waits until a member of {@code group} leads in a term above {@code aboveTerm} and every member
   * of {@code group} follows it in that term; returns its name. Unlike {@link
   * TestCluster#awaitLeader}, this cannot return a deposed leader that has not noticed yet.
   */
  static String awaitLeaderAmong(
      TestCluster<?, ?, ?> cluster, Collection<String> group, long aboveTerm, Duration timeout) {
    return Await.result(
        "a leader among " + group + " above term " + aboveTerm + " (seed " + cluster.seed() + ")",
        timeout,
        () -> agreedLeaderAmong(cluster, group, aboveTerm));
  }

  private static @Nullable String agreedLeaderAmong(
      TestCluster<?, ?, ?> cluster, Collection<String> group, long aboveTerm) {
    List<PeerStatus> statuses = group.stream().map(cluster::status).toList();
    if (statuses.contains(null)) {
      return null;
    }
    PeerStatus leader =
        statuses.stream()
            .filter(s -> s.role() == PeerStatus.Role.LEADER && s.term() > aboveTerm)
            .findFirst()
            .orElse(null);
    if (leader == null) {
      return null;
    }
    boolean agreed =
        statuses.stream()
            .allMatch(s -> s.term() == leader.term() && leader.name().equals(s.leader()));
    return agreed ? leader.name() : null;
  }

  /**
   * Waits until every running peer is in {@code term} and names {@code leader}, which is the only
   * one in role LEADER.
   */
  static void awaitAgreement(
      TestCluster<?, ?, ?> cluster, String leader, long term, Duration timeout) {
    Await.until(
        "every peer following " + leader + " in term " + term + " (seed " + cluster.seed() + ")",
        timeout,
        () -> {
          List<PeerStatus> statuses = cluster.statuses();
          return statuses.size() == cluster.upPeers().size()
              && statuses.stream()
                  .allMatch(
                      s ->
                          s.term() == term
                              && leader.equals(s.leader())
                              && (s.role() == PeerStatus.Role.LEADER) == s.name().equals(leader));
        });
  }

  /**
   * Waits until every running peer holds the same log length, has committed all of it and applied
   * all of it; returns that index.
   */
  static long awaitConvergence(TestCluster<?, ?, ?> cluster, Duration timeout) {
    AtomicReference<Long> converged = new AtomicReference<>();
    Await.until(
        "every peer applying the same, fully committed log (seed " + cluster.seed() + ")",
        timeout,
        () -> {
          List<PeerStatus> statuses = cluster.statuses();
          if (statuses.size() != cluster.upPeers().size()) {
            return false;
          }
          long last = statuses.get(0).lastLogIndex();
          boolean same =
              statuses.stream()
                  .allMatch(
                      s ->
                          s.lastLogIndex() == last
                              && s.commitIndex() == last
                              && s.lastApplied() == last);
          converged.set(last);
          return same;
        });
    return Objects.requireNonNull(converged.get());
  }

  /** The commands peer {@code id} applied, read locally from its state machine. */
  static List<String> history(
      TestCluster<String, RecordingStateMachine.Query, List<String>> cluster, String id) {
    RaftReply<List<String>> reply =
        cluster.read(id, RecordingStateMachine.Query.HISTORY, RaftPeer.ReadConsistency.LOCAL);
    return ok(cluster, reply, "local history read at " + id).result();
  }

  /** Asserts that {@code reply} is Ok and returns it. */
  static <R> RaftReply.Ok<R> ok(TestCluster<?, ?, ?> cluster, RaftReply<R> reply, String what) {
    assertThat(reply).as("seed %d: %s", cluster.seed(), what).isInstanceOf(RaftReply.Ok.class);
    return (RaftReply.Ok<R>) reply;
  }

  /** Asserts that every peer applied the same commands in the same order; returns them. */
  static List<String> sameHistoryEverywhere(
      TestCluster<String, RecordingStateMachine.Query, List<String>> cluster) {
    List<String> reference = history(cluster, cluster.ids().get(0));
    for (String id : cluster.ids()) {
      // State Machine Safety (§5.4.3): no replica applies a different command at any index.
      assertThat(history(cluster, id))
          .as("seed %d: commands applied by %s", cluster.seed(), id)
          .isEqualTo(reference);
    }
    return reference;
  }

  /** Asserts that every peer's durable log equals that of {@code referenceId}; returns it. */
  static List<LogEntry> sameDurableLogEverywhere(TestCluster<?, ?, ?> cluster, String referenceId) {
    List<LogEntry> reference = durableLog(cluster, referenceId);
    for (String id : cluster.ids()) {
      assertThat(durableLog(cluster, id))
          .as("seed %d: durable log of %s", cluster.seed(), id)
          .isEqualTo(reference);
    }
    return reference;
  }

  /**
   * Asserts that what clients were told agrees with what was applied: no command applied twice,
   * every acknowledged write applied in the order of its log index, and no write answered NotLeader
   * or NoLeader (which promise the write was not proposed) applied at all.
   */
  static void assertAnswersAgreeWith(
      TestCluster<?, ?, ?> cluster,
      Map<String, RaftReply<List<String>>> answers,
      List<String> applied) {
    long seed = cluster.seed();
    assertThat(applied).as("seed %d: applied at most once", seed).doesNotHaveDuplicates();
    List<String> acknowledged =
        answers.entrySet().stream()
            .filter(e -> e.getValue().isOk())
            .sorted(
                Comparator.comparingLong(e -> ((RaftReply.Ok<List<String>>) e.getValue()).index()))
            .map(Map.Entry::getKey)
            .toList();
    assertThat(acknowledged).as("seed %d: some writes succeed", seed).isNotEmpty();
    assertThat(applied)
        .as("seed %d: every acknowledged write, in the order of its index", seed)
        .containsSubsequence(acknowledged);
    answers.forEach(
        (command, reply) -> {
          if (reply instanceof RaftReply.NotLeader<?> || reply instanceof RaftReply.NoLeader<?>) {
            assertThat(applied)
                .as("seed %d: %s answered %s must not take effect", seed, command, reply)
                .doesNotContain(command);
          }
        });
  }

  /**
   * Client threads that write {@code <prefix><client>-<n>} through whichever peer leads, each
   * waiting for one answer before sending the next, until a count or until stopped.
   */
  static final class Writers implements AutoCloseable {
    private final ExecutorService pool;
    private final List<Future<?>> clients = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Map<String, RaftReply<List<String>>> answers = new ConcurrentHashMap<>();

    private Writers(int count) {
      pool = Executors.newFixedThreadPool(count);
    }

    /** Starts {@code count} clients writing {@code perClient} commands each (or until stopped). */
    static Writers start(
        TestCluster<String, ?, List<String>> cluster,
        String prefix,
        int count,
        int perClient,
        Duration perWrite) {
      Writers writers = new Writers(count);
      for (int c = 0; c < count; c++) {
        String name = prefix + c + "-";
        writers.clients.add(
            writers.pool.submit(
                () -> {
                  for (int i = 0; i < perClient && !writers.stop.get(); i++) {
                    String command = name + i;
                    writers.answers.put(command, cluster.writeToLeader(command, perWrite));
                  }
                }));
      }
      return writers;
    }

    /** Stops the clients after their current write and returns every answer, by command. */
    Map<String, RaftReply<List<String>>> stop(Duration timeout) throws Exception {
      stop.set(true);
      return await(timeout);
    }

    /** Waits for the clients to finish and returns every answer, by command. */
    Map<String, RaftReply<List<String>>> await(Duration timeout) throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      for (Future<?> client : clients) {
        client.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
      return Map.copyOf(answers);
    }

    @Override
    public void close() {
      stop.set(true);
      pool.shutdownNow();
    }
  }

  /**
   * Records, from now on, every peer that sent AppendEntries as leader of a term (Election Safety,
   * §5.2: there must be at most one per term).
   */
  static Map<Long, Set<String>> recordLeadersByTerm(InProcessNetwork network) {
    Map<Long, Set<String>> leadersByTerm = new ConcurrentHashMap<>();
    network.observe(
        d -> {
          if (d.message() instanceof RaftMessage.AppendEntries append) {
            leadersByTerm
                .computeIfAbsent(append.term(), t -> ConcurrentHashMap.newKeySet())
                .add(append.leaderId());
          }
        });
    return leadersByTerm;
  }

  /** {@code ids} without {@code excluded}. */
  static List<String> others(List<String> ids, String excluded) {
    return ids.stream().filter(id -> !id.equals(excluded)).toList();
  }

  /** The durable log of peer {@code id}, as its in-memory storage holds it. */
  static List<LogEntry> durableLog(TestCluster<?, ?, ?> cluster, String id) {
    return ((InMemoryRaftStorage) cluster.storage(id)).entries();
  }
}
