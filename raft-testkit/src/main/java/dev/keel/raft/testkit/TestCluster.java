package dev.keel.raft.testkit;

import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftClock;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import dev.keel.raft.RaftSettings;
import dev.keel.raft.StateMachine;
import dev.keel.raft.persistence.InMemoryRaftStorage;
import dev.keel.raft.persistence.RaftStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.jspecify.annotations.Nullable;

/**
 * A whole Raft group in one JVM: N peers of the user's state machine, connected through an {@link
 * InProcessNetwork}, each with its own storage that survives {@link #crash} and {@link #restart}
 * (with {@link Builder#powerLossStorage()}, a {@link #powerCut} also loses what was not synced).
 * Randomness (election timeouts, network faults, fsync delays) derives from one seed.
 *
 * <pre>{@code
 * try (TestCluster<String, RegisterStateMachine.Get, Optional<String>> cluster =
 *     TestCluster.builder(RegisterStateMachine::ofStrings).nodes(3).seed(42).start(system)) {
 *   String leader = cluster.awaitLeader(Duration.ofSeconds(10));
 *   cluster.write(leader, "x");
 *   cluster.network().isolate(leader, cluster.ids());
 * }
 * }</pre>
 *
 * @param <C> command type
 * @param <Q> query type
 * @param <R> result type
 */
public final class TestCluster<C, Q, R> implements AutoCloseable {

  private static final Duration ASK_MARGIN = Duration.ofSeconds(2);

  private final ActorSystem<?> system;
  private final List<String> ids;
  private final InProcessNetwork network;
  private final Supplier<? extends StateMachine<C, Q, R>> stateMachine;
  private final RaftSettings settings;
  private final long seed;
  private final @Nullable ManualTime manualTime;
  private final ManualClock manualClock = new ManualClock();
  private final Map<String, RaftStorage> storages = new HashMap<>();
  private final Map<String, ActorRef<RaftPeer.Command>> running = new HashMap<>();
  private final Map<String, Integer> incarnations = new HashMap<>();
  // Incarnations stopped by crash() that may still be handling their last message.
  private final Map<String, ActorRef<RaftPeer.Command>> stopping = new HashMap<>();
  private final Set<String> paused = new HashSet<>();
  // The peer that last answered a client request as leader; where the next one goes first.
  private volatile @Nullable String lastLeader;
  private final String name;

  private TestCluster(Builder<C, Q, R> builder, ActorSystem<?> system) {
    this.system = system;
    this.ids = List.copyOf(builder.ids);
    this.seed = builder.seed;
    this.manualTime = builder.manualTime ? ManualTime.get(system) : null;
    this.settings = builder.settings;
    this.stateMachine = builder.stateMachine;
    this.network = new InProcessNetwork(system, seed);
    this.name = "cluster-" + Long.toHexString(seed) + "-" + System.identityHashCode(this);
    for (String id : ids) {
      storages.put(
          id,
          builder.powerLoss
              ? new PowerLossStorage(seed * 1_000_003L + id.hashCode())
              : builder.storageFactory.apply(id));
    }
  }

  /** Starts describing a cluster of the state machine that {@code stateMachine} makes. */
  public static <C, Q, R> Builder<C, Q, R> builder(
      Supplier<? extends StateMachine<C, Q, R>> stateMachine) {
    return new Builder<>(stateMachine);
  }

  /** The peers' names, in order. */
  public List<String> ids() {
    return ids;
  }

  /** The seed everything random derives from. */
  public long seed() {
    return seed;
  }

  /** The network between the peers. */
  public InProcessNetwork network() {
    return network;
  }

  /** The storage of peer {@code id}; it outlives the peer's incarnations. */
  public RaftStorage storage(String id) {
    RaftStorage storage = storages.get(id);
    if (storage == null) {
      throw new IllegalArgumentException("no peer named " + id);
    }
    return storage;
  }

  /** The running peer {@code id}. */
  public synchronized ActorRef<RaftPeer.Command> peer(String id) {
    ActorRef<RaftPeer.Command> ref = running.get(id);
    if (ref == null) {
      throw new IllegalStateException(id + " is not running");
    }
    return ref;
  }

  /** Whether peer {@code id} is running. */
  public synchronized boolean isUp(String id) {
    return running.containsKey(id);
  }

  /** The peers that are running. */
  public synchronized List<String> upPeers() {
    return ids.stream().filter(running::containsKey).toList();
  }

  private synchronized void spawn(String id) {
    int incarnation = incarnations.merge(id, 1, Integer::sum);
    RaftPeer.Setup<C, Q, R> setup =
        RaftPeer.setup(id, ids, network.transportFor(id), storage(id), stateMachine)
            .settings(settings)
            .random(new SplittableRandom(seed * 31 + id.hashCode() * 17L + incarnation))
            .clock(manualTime != null ? manualClock : RaftClock.SYSTEM)
            .build();
    ActorRef<RaftPeer.Command> ref =
        system.systemActorOf(
            Pausable.wrap(RaftPeer.create(setup)),
            name + "-" + id + "-" + incarnation,
            Props.empty());
    running.put(id, ref);
    network.register(id, ref);
  }

  /**
   * Crashes peer {@code id}: it stops at once and loses its volatile state; its storage keeps what
   * was durable.
   */
  public synchronized void crash(String id) {
    paused.remove(id);
    ActorRef<RaftPeer.Command> ref = running.remove(id);
    if (ref == null) {
      return;
    }
    network.unregister(id);
    system.classicSystem().stop(Adapter.toClassic(ref));
    stopping.put(id, ref);
  }

  /**
   * Cuts the power of peer {@code id}: crashes it, as {@link #crash} does, and at the same moment
   * its {@link PowerLossStorage} loses every write it had not synced yet. Returns once the peer has
   * terminated, so nothing it still had in hand reaches the storage after a {@link #restart}.
   *
   * @return how many unsynced writes were lost
   * @throws IllegalStateException if the peer's storage is not a {@link PowerLossStorage} (build
   *     the cluster with {@link Builder#powerLossStorage()})
   */
  public int powerCut(String id) {
    return powerCut(List.of(id));
  }

  /**
   * Cuts the power of several peers at once: crashes them all, then all their storages lose what
   * they had not synced; see {@link #powerCut(String)}.
   *
   * @return how many unsynced writes were lost, in total
   * @throws IllegalStateException if a peer's storage is not a {@link PowerLossStorage}; then no
   *     peer is touched
   */
  public synchronized int powerCut(Collection<String> victims) {
    List<PowerLossStorage> disks = new ArrayList<>();
    for (String id : victims) {
      if (!(storage(id) instanceof PowerLossStorage disk)) {
        throw new IllegalStateException(
            "cannot cut the power of "
                + id
                + ": its storage is a "
                + storage(id).getClass().getName()
                + ", not a PowerLossStorage; build the cluster with powerLossStorage()");
      }
      disks.add(disk);
    }
    Map<String, ActorRef<RaftPeer.Command>> stopped = new HashMap<>();
    for (String id : victims) {
      ActorRef<RaftPeer.Command> ref = running.get(id);
      if (ref != null) {
        stopped.put(id, ref);
      }
      crash(id);
    }
    int lost = 0;
    for (PowerLossStorage disk : disks) {
      lost += disk.powerCut();
    }
    for (Map.Entry<String, ActorRef<RaftPeer.Command>> peer : stopped.entrySet()) {
      String watcher = name + "-" + peer.getKey() + "-" + incarnations.get(peer.getKey()) + "-cut";
      Terminations.await(system, peer.getValue(), watcher, Duration.ofSeconds(10));
    }
    return lost;
  }

  /**
   * Freezes peer {@code id}: it handles nothing (messages, timers, storage callbacks) until {@link
   * #resume}, then catches up with a stale view, as after a long GC pause.
   */
  public synchronized void pause(String id) {
    peer(id).tell(Pausable.Control.PAUSE);
    paused.add(id);
  }

  /** Lets a paused peer run again. */
  public synchronized void resume(String id) {
    if (paused.remove(id) && running.containsKey(id)) {
      peer(id).tell(Pausable.Control.RESUME);
    }
  }

  /** Whether peer {@code id} is paused. */
  public synchronized boolean isPaused(String id) {
    return paused.contains(id);
  }

  /**
   * Starts peer {@code id} again from its storage, once its crashed incarnation has terminated: a
   * process that was killed writes nothing more, so nothing the old incarnation still had in hand
   * may reach the storage after the new one recovered from it.
   *
   * @throws IllegalStateException if the peer is running, or its crashed incarnation is still alive
   *     after 10 seconds
   */
  public synchronized void restart(String id) {
    if (running.containsKey(id)) {
      throw new IllegalStateException(id + " is running");
    }
    ActorRef<RaftPeer.Command> previous = stopping.remove(id);
    if (previous != null) {
      String watcher = name + "-" + id + "-" + incarnations.get(id) + "-restart";
      Terminations.await(system, previous, watcher, Duration.ofSeconds(10));
    }
    spawn(id);
  }

  /** The status of peer {@code id}; null if it is down, paused, or silent for a second. */
  public @Nullable PeerStatus status(String id) {
    if (!isUp(id) || isPaused(id)) {
      return null;
    }
    try {
      return ask(peer(id), RaftPeer.GetStatus::new, Duration.ofSeconds(1));
    } catch (TimeoutException | IllegalStateException e) {
      return null;
    }
  }

  /** The statuses of every running peer that answers. */
  public List<PeerStatus> statuses() {
    List<PeerStatus> out = new ArrayList<>();
    for (String id : upPeers()) {
      PeerStatus status = status(id);
      if (status != null) {
        out.add(status);
      }
    }
    return out;
  }

  /** The leader with the highest term among running peers, if any peer says it leads. */
  public Optional<String> leader() {
    return statuses().stream()
        .filter(s -> s.role() == PeerStatus.Role.LEADER)
        .max((a, b) -> Long.compare(a.term(), b.term()))
        .map(PeerStatus::name);
  }

  /**
   * Waits until a running peer leads and a majority of the peers agree on it. Right after a
   * partition the old leader may still qualify for up to an election timeout, while its followers
   * have not noticed; tests that just cut the network should also check connectivity.
   */
  public String awaitLeader(Duration timeout) {
    return Await.result("a leader in cluster seeded " + seed, timeout, this::agreedLeader);
  }

  private @Nullable String agreedLeader() {
    List<PeerStatus> statuses = statuses();
    for (PeerStatus candidate : statuses) {
      if (candidate.role() != PeerStatus.Role.LEADER) {
        continue;
      }
      long agree =
          statuses.stream()
              .filter(s -> s.term() == candidate.term() && candidate.name().equals(s.leader()))
              .count();
      if (agree >= ids.size() / 2 + 1) {
        return candidate.name();
      }
    }
    return null;
  }

  /** Sends a write to peer {@code id} and waits for its answer. */
  public RaftReply<R> write(String id, C command) {
    return askReply(peer(id), replyTo -> new RaftPeer.Write<>(command, replyTo));
  }

  /** Sends a read to peer {@code id} and waits for its answer. */
  public RaftReply<R> read(String id, Q query, RaftPeer.ReadConsistency consistency) {
    return askReply(peer(id), replyTo -> new RaftPeer.Read<>(query, consistency, replyTo));
  }

  /**
   * Writes through whichever peer leads, following redirects and retrying while no leader is known,
   * until {@code timeout}. Retries happen only for answers that mean "not proposed".
   *
   * @return the last answer: Ok, Rejected, TimedOut (outcome unknown), or NoLeader
   */
  public RaftReply<R> writeToLeader(C command, Duration timeout) {
    return toLeader(id -> write(id, command), timeout);
  }

  /** Reads linearizably through whichever peer leads; see {@link #writeToLeader}. */
  public RaftReply<R> readFromLeader(Q query, Duration timeout) {
    return toLeader(id -> read(id, query, RaftPeer.ReadConsistency.LINEARIZABLE), timeout);
  }

  private RaftReply<R> toLeader(Function<String, RaftReply<R>> call, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String cached = lastLeader;
    String target = cached != null ? cached : leader().orElse(ids.get(0));
    RaftReply<R> reply = new RaftReply.NoLeader<>();
    while (System.nanoTime() - deadline < 0) {
      if (!isUp(target)) {
        target = upPeers().isEmpty() ? ids.get(0) : upPeers().get(0);
      }
      reply = isUp(target) ? call.apply(target) : new RaftReply.NoLeader<>();
      if (reply instanceof RaftReply.NotLeader<R> notLeader) {
        target = notLeader.leaderId();
        if (!isUp(target)) {
          // The hint names a crashed peer; the others forget it within an election timeout.
          Await.pause(Duration.ofMillis(20));
        }
      } else if (reply instanceof RaftReply.NoLeader<R>) {
        Await.pause(Duration.ofMillis(50));
        target = leader().orElse(target);
      } else {
        lastLeader = target;
        return reply;
      }
    }
    return reply;
  }

  private RaftReply<R> askReply(
      ActorRef<RaftPeer.Command> peer, Function<ActorRef<RaftReply<R>>, RaftPeer.Command> message) {
    try {
      return ask(peer, message, settings.requestTimeout().plus(ASK_MARGIN));
    } catch (TimeoutException e) {
      // The peer itself answers TimedOut first; this only happens when it is gone.
      return new RaftReply.TimedOut<>();
    }
  }

  private <T> T ask(
      ActorRef<RaftPeer.Command> peer,
      Function<ActorRef<T>, RaftPeer.Command> message,
      Duration timeout)
      throws TimeoutException {
    CompletionStage<T> stage = AskPattern.ask(peer, message::apply, timeout, system.scheduler());
    try {
      return stage.toCompletableFuture().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TimeoutException timeoutException) {
        throw timeoutException;
      }
      throw new IllegalStateException("ask failed", e.getCause());
    }
  }

  /**
   * On controlled time: advances the clock by {@code duration} in steps of {@code step}, letting
   * the peers settle after each step (every running peer answers status requests twice in a row
   * with the same status), so messages caused by one timer are handled before the next timer fires.
   * With the same seed this replays the same elections.
   */
  public void advanceTime(Duration duration, Duration step) {
    ManualTime time = manualTime;
    if (time == null) {
      throw new IllegalStateException("the cluster was not built with manualTime()");
    }
    for (Duration passed = Duration.ZERO;
        passed.compareTo(duration) < 0;
        passed = passed.plus(step)) {
      manualClock.advance(step);
      time.timePasses(step);
      settle();
    }
  }

  private void settle() {
    List<PeerStatus> previous = statuses();
    for (int round = 0; round < 50; round++) {
      List<PeerStatus> current = statuses();
      if (current.equals(previous)) {
        return;
      }
      previous = current;
    }
  }

  /** Stops every peer. */
  @Override
  public synchronized void close() {
    for (String id : new ArrayList<>(running.keySet())) {
      crash(id);
    }
  }

  /**
   * Describes a cluster.
   *
   * @param <C> command type
   * @param <Q> query type
   * @param <R> result type
   */
  public static final class Builder<C, Q, R> {
    private final Supplier<? extends StateMachine<C, Q, R>> stateMachine;
    private List<String> ids = List.of("n1", "n2", "n3");
    private long seed = System.nanoTime();
    private RaftSettings settings = fastSettings();
    private Function<String, RaftStorage> storageFactory = id -> new InMemoryRaftStorage();
    private boolean manualTime;
    private boolean powerLoss;

    Builder(Supplier<? extends StateMachine<C, Q, R>> stateMachine) {
      this.stateMachine = stateMachine;
    }

    /** Peers named n1..n{count}; default 3. */
    public Builder<C, Q, R> nodes(int count) {
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= count; i++) {
        names.add("n" + i);
      }
      this.ids = names;
      return this;
    }

    /** The seed; default from the clock (read it back with {@link TestCluster#seed()}). */
    public Builder<C, Q, R> seed(long value) {
      this.seed = value;
      return this;
    }

    /** Peer settings; default {@link #fastSettings()}. */
    public Builder<C, Q, R> settings(RaftSettings value) {
      this.settings = value;
      return this;
    }

    /** Makes each peer's storage; default a fresh {@link InMemoryRaftStorage}. */
    public Builder<C, Q, R> storage(Function<String, RaftStorage> factory) {
      this.storageFactory = factory;
      this.powerLoss = false;
      return this;
    }

    /**
     * Gives each peer a {@link PowerLossStorage} (syncs within 3 ms, delays seeded from the cluster
     * seed and the peer's name), so {@link TestCluster#powerCut} can lose what was not synced.
     * Replaces {@link #storage}.
     */
    public Builder<C, Q, R> powerLossStorage() {
      this.powerLoss = true;
      return this;
    }

    /**
     * Runs the cluster on controlled time: timers fire only when the test calls {@link
     * TestCluster#advanceTime}. The actor system must be created with {@code ManualTime.config()}.
     */
    public Builder<C, Q, R> manualTime() {
      this.manualTime = true;
      return this;
    }

    /** Spawns the peers in {@code system} and returns the running cluster. */
    public TestCluster<C, Q, R> start(ActorSystem<?> system) {
      TestCluster<C, Q, R> cluster = new TestCluster<>(this, system);
      for (String id : ids) {
        cluster.spawn(id);
      }
      return cluster;
    }
  }

  /**
   * Settings for tests: elections within 200–400 ms, heartbeats every 40 ms, 3 s request timeout;
   * quick, yet slack enough for a loaded 2-core machine.
   */
  public static RaftSettings fastSettings() {
    return RaftSettings.defaults()
        .withTimeouts(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(40))
        .withRequestTimeout(Duration.ofSeconds(3));
  }
}
