package dev.keel.raft.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Applies random faults from a chosen mix to a {@link TestCluster} on a schedule, then heals
 * everything. Every choice — which fault, which peer, how long to wait — comes from the seed, so
 * the same seed gives the same schedule (the cluster's reaction still depends on thread timing).
 *
 * <pre>{@code
 * Nemesis nemesis = new Nemesis(cluster, seed, EnumSet.allOf(Fault.class));
 * nemesis.run(Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMillis(400));
 * nemesis.healAll();
 * }</pre>
 */
public final class Nemesis {

  private final TestCluster<?, ?, ?> cluster;
  private final SplittableRandom random;
  private final List<Fault> mix;
  private final List<String> log = new ArrayList<>();

  /**
   * A nemesis for {@code cluster}.
   *
   * @param seed drives every choice
   * @param faults the faults to choose from, each with equal weight
   */
  public Nemesis(TestCluster<?, ?, ?> cluster, long seed, Set<Fault> faults) {
    if (faults.isEmpty()) {
      throw new IllegalArgumentException("no faults to choose from");
    }
    this.cluster = cluster;
    this.random = new SplittableRandom(seed);
    this.mix = List.copyOf(EnumSet.copyOf(faults));
  }

  /**
   * Applies a random fault, waits a random interval in [minGap, maxGap], and repeats until {@code
   * duration} has passed. Does not heal at the end: call {@link #healAll()}.
   */
  public void run(Duration duration, Duration minGap, Duration maxGap) {
    long deadline = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() - deadline < 0) {
      apply(mix.get(random.nextInt(mix.size())));
      long gap = minGap.toMillis() + random.nextLong(maxGap.toMillis() - minGap.toMillis() + 1);
      Await.pause(Duration.ofMillis(gap));
    }
  }

  /** Applies one fault now. */
  public void apply(Fault fault) {
    List<String> ids = cluster.ids();
    String someone = ids.get(random.nextInt(ids.size()));
    switch (fault) {
      case PARTITION -> partition(ids);
      case ISOLATE_LEADER ->
          cluster
              .leader()
              .ifPresent(
                  leader -> {
                    cluster.network().isolate(leader, ids);
                    record("isolate leader " + leader);
                  });
      case ISOLATE_PEER -> {
        cluster.network().isolate(someone, ids);
        record("isolate " + someone);
      }
      case ONE_WAY_CUT -> {
        String other = ids.get(random.nextInt(ids.size()));
        if (!other.equals(someone)) {
          cluster.network().cutOneWay(someone, other);
          record("cut " + someone + " -> " + other);
        }
      }
      case DROP -> {
        double rate = 0.05 + random.nextDouble() * 0.2;
        cluster.network().setDropRate(rate);
        record(String.format(java.util.Locale.ROOT, "drop %.2f", rate));
      }
      case DELAY -> {
        Duration max = Duration.ofMillis(1 + random.nextInt(30));
        cluster.network().setMaxDelay(max);
        record("delay up to " + max.toMillis() + " ms");
      }
      case DUPLICATE -> {
        cluster.network().setDuplicateRate(0.05);
        record("duplicate 0.05");
      }
      case CRASH -> crash(someone);
      case RESTART -> restartAll();
      case PAUSE -> pause(someone);
      case RESUME -> resumeAll();
      case HEAL -> {
        cluster.network().heal();
        record("heal");
      }
    }
  }

  private void partition(List<String> ids) {
    Set<String> side = new HashSet<>();
    for (String id : ids) {
      if (random.nextBoolean()) {
        side.add(id);
      }
    }
    Set<String> rest = new HashSet<>(ids);
    rest.removeAll(side);
    cluster.network().partition(side, rest);
    record("partition " + side + " | " + rest);
  }

  private int unavailable() {
    int count = 0;
    for (String id : cluster.ids()) {
      if (!cluster.isUp(id) || cluster.isPaused(id)) {
        count++;
      }
    }
    return count;
  }

  private void crash(String id) {
    // Keep a majority able to run, or the cluster could make no progress at all.
    if (cluster.isUp(id) && unavailable() < (cluster.ids().size() - 1) / 2) {
      cluster.crash(id);
      record("crash " + id);
    }
  }

  private void pause(String id) {
    if (cluster.isUp(id)
        && !cluster.isPaused(id)
        && unavailable() < (cluster.ids().size() - 1) / 2) {
      cluster.pause(id);
      record("pause " + id);
    }
  }

  private void restartAll() {
    for (String id : cluster.ids()) {
      if (!cluster.isUp(id)) {
        cluster.restart(id);
        record("restart " + id);
      }
    }
  }

  private void resumeAll() {
    for (String id : cluster.ids()) {
      if (cluster.isPaused(id)) {
        cluster.resume(id);
        record("resume " + id);
      }
    }
  }

  /** Heals the network, resumes paused peers and restarts crashed ones. */
  public void healAll() {
    cluster.network().heal();
    resumeAll();
    restartAll();
    record("heal all");
  }

  private synchronized void record(String event) {
    log.add(event);
  }

  /** The faults applied so far, in order, for failure reports. */
  public synchronized List<String> history() {
    return List.copyOf(log);
  }
}
