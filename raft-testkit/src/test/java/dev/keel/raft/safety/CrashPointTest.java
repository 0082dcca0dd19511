package dev.keel.raft.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.PeerStatus;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.RecoveredState;
import dev.keel.raft.persistence.StoredSnapshot;
import dev.keel.raft.persistence.journal.JournaledRaftStorage;
import dev.keel.raft.testkit.Await;
import dev.keel.raft.testkit.CrashPoint;
import dev.keel.raft.testkit.CrashPointStorage;
import dev.keel.raft.testkit.CrashPointStorage.Firing;
import dev.keel.raft.testkit.TestCluster;
import dev.keel.raft.testkit.kv.KvCommand;
import dev.keel.raft.testkit.kv.KvQuery;
import dev.keel.raft.testkit.kv.KvResult;
import dev.keel.raft.testkit.linearizability.CheckResult;
import dev.keel.raft.testkit.linearizability.HistoryRecorder;
import dev.keel.raft.testkit.linearizability.KvOp;
import dev.keel.raft.testkit.linearizability.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A peer that crashes at any persistence step restarts consistent, on the real on-disk journal:
 * three peers on {@link JournaledRaftStorage} with a RocksDB journal each, wrapped in {@link
 * CrashPointStorage}, under a key-value load whose history is recorded. A follower, the victim,
 * crashes at one {@link CrashPoint} and is restarted:
 *
 * <ul>
 *   <li>{@code AFTER_VOTE_DURABLE}: the leader is cut off, so the followers hold an election; the
 *       victim dies once its vote is durable, before answering;
 *   <li>{@code AFTER_APPEND_DURABLE}, {@code MID_APPEND}, {@code AFTER_SNAPSHOT_SAVED}: the other
 *       follower is cut off, so every commit needs the victim; it dies at its next append, or at
 *       its next local snapshot (taken every {@value #SNAPSHOT_EVERY} entries);
 *   <li>{@code AFTER_SNAPSHOT_INSTALLED}: the victim is down while the others compact their logs
 *       past it, is restarted armed, and dies once the leader's snapshot is durable; then it is
 *       restarted again.
 * </ul>
 *
 * <p>Before the victim restarts (in the vote case, before the election) the leader is cut off, so
 * the victim is in every quorum: what it recovered decides the next election and every commit, with
 * no leader around to repair it first. Finally the network heals and everything is checked: the
 * crash point was reached; the victim recovered the write it died at (a vote's term and vote, an
 * appended entry, a snapshot); the history is linearizable (no acknowledged write lost); one leader
 * per term; the durable logs match; every replica applied the same commands in the same order and
 * holds the same data. {@code -Dkeel.seed=S} replays one seed at every point; {@code
 * -Dkeel.crashpoint.seeds=N} runs more.
 */
class CrashPointTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int CLIENTS = 3;
  // Operations acknowledged to wait for in each phase of a run.
  private static final int ACKS = 20;
  // Small, so that local snapshots and compaction past a crashed follower happen within a run.
  private static final int SNAPSHOT_EVERY = 25;

  @TempDir Path dir;

  private ActorTestKit kit;

  @AfterEach
  void shutdown() {
    if (kit != null) {
      kit.shutdownTestKit();
    }
  }

  static Stream<Arguments> runs() {
    List<Arguments> runs = new ArrayList<>();
    long base = 12_000L;
    for (CrashPoint point : CrashPoint.values()) {
      SafetyChecks.seeds("keel.crashpoint.seeds", 2, base)
          .forEach(seed -> runs.add(Arguments.of(point, seed)));
      base += 100;
    }
    return runs.stream();
  }

  @ParameterizedTest(name = "{0}, seed {1}")
  @MethodSource("runs")
  void peerCrashedAtAPersistenceStepRestartsConsistent(CrashPoint point, long seed)
      throws Exception {
    long start = System.nanoTime();
    kit = ActorTestKit.create("crash-points");
    ApplyRecorder applies = new ApplyRecorder();
    HistoryRecorder<KvOp<String, String>, Response<String>> history = new HistoryRecorder<>();
    TestCluster<KvCommand, KvQuery, KvResult> cluster = start(kit.system(), applies, seed);
    try {
      SafetyChecks.LeaderPerTerm leaders = new SafetyChecks.LeaderPerTerm(cluster.network());
      Run run = new Run(cluster, new KvClients(cluster, history, CLIENTS, seed), point, seed);
      Firing firing = run.crashAndRestart();
      String context = run.context + ", " + firing;
      CheckResult result =
          SafetyChecks.assertKeyValueStoreSafe(
              cluster, run.clients, history, leaders, applies, seed, context);
      assertThat(run.disk().firings()).as("crash points reached, " + context).hasSize(1);
      System.out.printf(
          "crash point %s: victim %s recovered %s; %d operations (%d ok, %d indeterminate),"
              + " %d terms with a leader, %d writes swallowed, checked in %d ms; %d ms%n",
          context,
          run.victim,
          describe(run.recovered, run.disk().lastFiring()),
          history.history().size(),
          run.clients.okCount(),
          run.clients.indeterminateCount(),
          leaders.terms(),
          run.disk().swallowedWrites(),
          result.elapsed().toMillis(),
          (System.nanoTime() - start) / 1_000_000);
    } finally {
      cluster.close();
    }
    SafetyChecks.assertLogMatching(cluster, seed);
  }

  private TestCluster<KvCommand, KvQuery, KvResult> start(
      ActorSystem<?> system, ApplyRecorder applies, long seed) {
    AtomicInteger instances = new AtomicInteger();
    return TestCluster.builder(
            () -> new RecordingKeyValueStateMachine(applies, "sm-" + instances.incrementAndGet()))
        .nodes(3)
        .seed(seed)
        .settings(TestCluster.fastSettings().withSnapshots(SNAPSHOT_EVERY, 1024))
        .storage(
            id ->
                new CrashPointStorage(
                    JournaledRaftStorage.builder(system, "crash-points", id)
                        .rocksDb(dir.resolve(id))
                        .build()))
        .start(system);
  }

  private static String describe(RecoveredState state, Firing firing) {
    StoredSnapshot snapshot = state.snapshot();
    long snapshotIndex = snapshot == null ? 0 : snapshot.metadata().lastIncludedIndex();
    List<LogEntry> entries = state.entries();
    long lastIndex = entries.isEmpty() ? snapshotIndex : entries.get(entries.size() - 1).index();
    String landed =
        firing.point() != CrashPoint.MID_APPEND
            ? ""
            : lastIndex >= firing.index() ? " (the append landed)" : " (the append was lost)";
    return state.termAndVote()
        + ", snapshot through "
        + snapshotIndex
        + ", log through "
        + lastIndex
        + landed;
  }

  /** What the journal holds, read once the peers are stopped. */
  /** One run: the victim, the other follower, the load, and the crash at one point. */
  private static final class Run {
    final TestCluster<KvCommand, KvQuery, KvResult> cluster;
    final KvClients clients;
    final CrashPoint point;
    final String context;
    final String leader;
    final String victim;
    final String other;
    // What the victim found at the restart after its crash.
    RecoveredState recovered = RecoveredState.EMPTY;

    Run(
        TestCluster<KvCommand, KvQuery, KvResult> cluster,
        KvClients clients,
        CrashPoint point,
        long seed) {
      this.cluster = cluster;
      this.clients = clients;
      this.point = point;
      this.context = point + ", seed " + seed;
      this.leader = cluster.awaitLeader(WAIT);
      List<String> followers = new ArrayList<>(cluster.ids());
      followers.remove(leader);
      this.victim = followers.remove(new SplittableRandom(seed).nextInt(followers.size()));
      this.other = followers.get(0);
    }

    CrashPointStorage disk() {
      return (CrashPointStorage) cluster.storage(victim);
    }

    /**
     * Under load: crashes the victim at the point; cuts the leader off, so that the victim is in
     * every quorum from then on and what it recovers decides; restarts it; then heals the network
     * and stops the load.
     */
    Firing crashAndRestart() throws InterruptedException {
      clients.start();
      try {
        awaitAcks("before the crash");
        switch (point) {
          case AFTER_VOTE_DURABLE -> {
            // The followers elect a leader; the victim dies once its vote is durable.
            arm();
            cutOffTheLeader();
          }
          case AFTER_SNAPSHOT_INSTALLED -> {
            crashUntilCompactedPast();
            arm();
            cluster.restart(victim);
          }
          default -> {
            // The leader needs the victim for every commit.
            cluster.network().isolate(other, cluster.ids());
            arm();
          }
        }
        Await.until(point + " reached at " + victim + ", " + context, WAIT, disk()::hasFired);
        Await.until(victim + " crashed, " + context, WAIT, () -> !cluster.isUp(victim));
        Firing firing = disk().lastFiring();
        if (point != CrashPoint.AFTER_VOTE_DURABLE) {
          cutOffTheLeader();
        }
        cluster.restart(victim);
        PeerStatus restarted = status(victim);
        recovered = disk().lastRecovered();
        assertRecoveredWhatWasDurable(firing, restarted);
        Await.until(
            "a leader other than " + leader + ", " + context,
            WAIT,
            () -> cluster.leader().filter(id -> !id.equals(leader)).isPresent());
        awaitAcks("with " + leader + " cut off");
        cluster.network().heal();
        awaitAcks("after healing");
        return firing;
      } finally {
        clients.stop();
        cluster.network().heal();
      }
    }

    /** Reconnects the others and cuts the leader off (the peer that led at the start). */
    private void cutOffTheLeader() {
      cluster.network().heal();
      cluster.network().isolate(leader, cluster.ids());
    }

    /** Crashes the victim until the others have compacted their logs well past its last entry. */
    private void crashUntilCompactedPast() {
      long victimLast = status(victim).lastLogIndex();
      cluster.crash(victim);
      long compacted = victimLast + 3L * SNAPSHOT_EVERY;
      Await.until(
          "the others applied " + compacted + " while " + victim + " was down, " + context,
          WAIT,
          () -> {
            List<PeerStatus> up = cluster.statuses();
            return up.size() == 2 && up.stream().allMatch(s -> s.lastApplied() >= compacted);
          });
    }

    private void arm() {
      disk().arm(point, firing -> cluster.crash(victim));
    }

    /** The restarted victim found the write it died at, which was durable by then. */
    private void assertRecoveredWhatWasDurable(Firing firing, PeerStatus restarted) {
      String what = victim + " restarted after " + firing + ", " + context;
      StoredSnapshot snapshot = recovered.snapshot();
      long snapshotIndex = snapshot == null ? 0 : snapshot.metadata().lastIncludedIndex();
      switch (firing.point()) {
        case AFTER_VOTE_DURABLE -> {
          assertThat(restarted.term()).as("term of " + what).isGreaterThanOrEqualTo(firing.term());
          if (recovered.termAndVote().term() == firing.term()) {
            assertThat(recovered.termAndVote().votedFor())
                .as("vote of " + what)
                .isEqualTo(firing.votedFor());
          }
        }
        // Only a leader of a newer term could have replaced the entry, and none can be elected
        // without the victim.
        case AFTER_APPEND_DURABLE -> {
          if (firing.index() > snapshotIndex) {
            assertThat(recovered.entries())
                .as("log of " + what)
                .anyMatch(e -> e.index() == firing.index() && e.term() == firing.term());
          }
        }
        case AFTER_SNAPSHOT_SAVED, AFTER_SNAPSHOT_INSTALLED ->
            assertThat(snapshotIndex)
                .as("snapshot of " + what)
                .isGreaterThanOrEqualTo(firing.index());
        case MID_APPEND -> {} // it may or may not have landed
      }
    }

    private void awaitAcks(String when) {
      int goal = clients.okCount() + ACKS;
      Await.until(
          ACKS + " more operations acknowledged " + when + ", " + context,
          WAIT,
          () -> clients.okCount() >= goal);
    }

    private PeerStatus status(String id) {
      return Await.result(id + " answers, " + context, WAIT, () -> cluster.status(id));
    }
  }
}
