package dev.keel.raft.safety;

import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import dev.keel.raft.persistence.RaftStorage;
import dev.keel.raft.testkit.Await;
import dev.keel.raft.testkit.PowerLossStorage;
import dev.keel.raft.testkit.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * One power-loss run: a cluster of {@link CommandLogStateMachine}s under a concurrent write load,
 * whose chosen peers lose power {@link #CUTS} times and are restarted; then a final write, and the
 * checks. The checks are collected in an {@link Outcome} rather than asserted, so the negative
 * control can show that they catch a storage that acknowledges before it syncs.
 */
final class PowerCutScenario {

  /** Cut-and-restart rounds per run. */
  static final int CUTS = 2;

  private static final int WRITERS = 4;
  // Acknowledged writes to wait for before each cut and after the last restart.
  private static final int ACKS_PER_ROUND = 30;
  private static final Duration WAIT = Duration.ofSeconds(20);
  // The broken disks sync later, so more acknowledged writes are unsynced on every peer at a cut:
  // with 3 ms fsyncs the negative control caught a lost write on 3 of 5 seeds, with 20 ms on 14 of
  // 20, with 100 ms on 20 of 20.
  private static final Duration EARLY_ACK_SYNC_DELAY = Duration.ofMillis(100);

  /** Whose power is cut in each round. */
  enum Target {
    /** The leader of a 3-node cluster. */
    LEADER,
    /** A follower of a 3-node cluster. */
    FOLLOWER,
    /** Two of five: the leader and a follower, then two followers. */
    MINORITY,
    /** All five at once. */
    ALL
  }

  /** The peers' disks. */
  enum Disks {
    /** {@link PowerLossStorage}: acknowledges a write once synced. */
    HONEST,
    /**
     * {@link EarlyAckStorage} over a PowerLossStorage syncing within 100 ms: acknowledges before
     * syncing (broken).
     */
    EARLY_ACK
  }

  /**
   * What a run saw.
   *
   * @param acked writes acknowledged to the writers
   * @param applied commands in the final linearizable read of the applied sequence
   * @param missing acknowledged writes not in that sequence: lost
   * @param lostPerCut unsynced writes thrown away at each cut, summed over the peers cut
   * @param syncedWrites writes synced over the run, summed over the peers
   * @param problems every other violation: apply order, two leaders in a term, log matching,
   *     replicas that disagree
   */
  record Outcome(
      String context,
      int acked,
      int applied,
      Set<String> missing,
      List<Integer> lostPerCut,
      long syncedWrites,
      List<String> cuts,
      List<String> problems,
      long millis) {

    int lost() {
      return lostPerCut.stream().mapToInt(Integer::intValue).sum();
    }

    String summary() {
      return String.format(
          "%s: %d acked writes checked, %d applied, %d missing; unsynced writes lost per cut %s"
              + " (%d synced); %d ms; cuts %s",
          context, acked, applied, missing.size(), lostPerCut, syncedWrites, millis, cuts);
    }
  }

  private final ActorSystem<?> system;
  private final long seed;
  private final Target target;
  private final Disks disks;
  private final SplittableRandom random;
  private final String context;

  PowerCutScenario(ActorSystem<?> system, long seed, Target target, Disks disks) {
    this.system = system;
    this.seed = seed;
    this.target = target;
    this.disks = disks;
    this.random = new SplittableRandom(seed);
    this.context = target + " power cuts, " + disks + " disks, seed " + seed;
  }

  Outcome run() throws InterruptedException {
    long start = System.nanoTime();
    ApplyRecorder applies = new ApplyRecorder();
    try (TestCluster<String, String, List<String>> cluster = start(applies)) {
      SafetyChecks.LeaderPerTerm leaders = new SafetyChecks.LeaderPerTerm(cluster.network());
      cluster.awaitLeader(WAIT);
      AckedWriters writers = new AckedWriters(system, cluster, WRITERS, seed);
      List<Integer> lostPerCut = new ArrayList<>();
      List<String> cuts = new ArrayList<>();
      writers.start();
      try {
        for (int round = 0; round < CUTS; round++) {
          awaitMoreAcks(writers);
          List<String> victims = victims(cluster, round);
          int lost = powerCut(cluster, victims);
          lostPerCut.add(lost);
          cuts.add(victims + " lost " + lost + lastCutLost(cluster, victims));
          victims.forEach(cluster::restart);
          cluster.awaitLeader(WAIT);
        }
        awaitMoreAcks(writers); // the restarted cluster takes writes again
      } finally {
        writers.stop();
      }
      List<String> problems = new ArrayList<>();
      List<String> sequence = converge(cluster, problems);
      Set<String> acked = writers.acked();
      Set<String> missing = new TreeSet<>(acked);
      missing.removeAll(new HashSet<>(sequence));
      applies.violations().forEach(v -> problems.add("apply order: " + v));
      leaders.violations().forEach(v -> problems.add("two leaders in " + v));
      long synced = cluster.ids().stream().mapToLong(id -> disk(cluster, id).syncedWrites()).sum();
      long millis = (System.nanoTime() - start) / 1_000_000;
      return new Outcome(
          context,
          acked.size(),
          sequence.size(),
          missing,
          lostPerCut,
          synced,
          cuts,
          problems,
          millis);
    }
  }

  private TestCluster<String, String, List<String>> start(ApplyRecorder applies) {
    int nodes = target == Target.LEADER || target == Target.FOLLOWER ? 3 : 5;
    AtomicInteger instances = new AtomicInteger();
    TestCluster.Builder<String, String, List<String>> builder =
        TestCluster.builder(
                () -> new CommandLogStateMachine(applies, "sm-" + instances.incrementAndGet()))
            .nodes(nodes)
            .seed(seed);
    if (disks == Disks.HONEST) {
      builder.powerLossStorage();
    } else {
      builder.storage(
          id ->
              new EarlyAckStorage(
                  new PowerLossStorage(seed * 31 + id.hashCode(), EARLY_ACK_SYNC_DELAY)));
    }
    return builder.start(system);
  }

  private void awaitMoreAcks(AckedWriters writers) {
    int goal = writers.ackedCount() + ACKS_PER_ROUND;
    Await.until(
        ACKS_PER_ROUND + " more acknowledged writes, " + context,
        WAIT,
        () -> writers.ackedCount() >= goal);
  }

  private List<String> victims(TestCluster<?, ?, ?> cluster, int round) {
    String leader = cluster.awaitLeader(WAIT);
    List<String> followers = new ArrayList<>(cluster.ids());
    followers.remove(leader);
    String follower = followers.remove(random.nextInt(followers.size()));
    return switch (target) {
      case LEADER -> List.of(leader);
      case FOLLOWER -> List.of(follower);
      case MINORITY ->
          round % 2 == 0
              ? List.of(leader, follower)
              : List.of(follower, followers.get(random.nextInt(followers.size())));
      case ALL -> cluster.ids();
    };
  }

  private int powerCut(TestCluster<?, ?, ?> cluster, List<String> victims) {
    if (disks == Disks.HONEST) {
      return cluster.powerCut(victims);
    }
    // TestCluster.powerCut refuses the broken wrapper: crash, then cut its disk.
    victims.forEach(cluster::crash);
    return victims.stream().mapToInt(id -> disk(cluster, id).powerCut()).sum();
  }

  private static String lastCutLost(TestCluster<?, ?, ?> cluster, List<String> victims) {
    StringBuilder out = new StringBuilder();
    for (String id : victims) {
      List<String> lost = disk(cluster, id).lastCutLost();
      if (!lost.isEmpty()) {
        out.append(' ').append(id).append('=').append(lost.subList(0, Math.min(lost.size(), 3)));
        if (lost.size() > 3) {
          out.append("+").append(lost.size() - 3).append(" more");
        }
      }
    }
    return out.toString();
  }

  static PowerLossStorage disk(TestCluster<?, ?, ?> cluster, String id) {
    RaftStorage storage = cluster.storage(id);
    return storage instanceof EarlyAckStorage early ? early.disk() : (PowerLossStorage) storage;
  }

  /**
   * A final write commits everything before it (§5.4.2); once every peer applied it, reads the
   * applied sequence linearizably and checks the replicas and logs agree.
   */
  private List<String> converge(
      TestCluster<String, String, List<String>> cluster, List<String> problems) {
    RaftReply<List<String>> last = cluster.writeToLeader("final", WAIT);
    if (!(last instanceof RaftReply.Ok<List<String>> written)) {
      throw new AssertionError("final write answered " + last + ", " + context);
    }
    SafetyChecks.awaitAllApplied(cluster, written.index(), seed);
    RaftReply<List<String>> read = cluster.readFromLeader("all", WAIT);
    if (!(read instanceof RaftReply.Ok<List<String>> sequence)) {
      throw new AssertionError("final read answered " + read + ", " + context);
    }
    for (String id : cluster.ids()) {
      RaftReply<List<String>> local = cluster.read(id, "all", RaftPeer.ReadConsistency.LOCAL);
      if (!(local instanceof RaftReply.Ok<List<String>> copy)
          || !copy.result().equals(sequence.result())) {
        problems.add("replica " + id + " disagrees with the leader's applied sequence");
      }
    }
    try {
      SafetyChecks.assertLogMatching(cluster, seed, id -> disk(cluster, id).syncedEntries());
    } catch (AssertionError e) {
      problems.add("log matching: " + e.getMessage());
    }
    return sequence.result();
  }
}
