package dev.keel.examples.bench;

import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftSettings;
import dev.keel.raft.persistence.InMemoryRaftStorage;
import dev.keel.raft.testkit.InProcessNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Writes per second of a 3-peer group in one JVM with in-memory storage (DESIGN §6): C concurrent
 * outstanding writes of 32-byte commands to a key-value state machine, warm-up, then a measured
 * window. Prints one JSON object per client count.
 *
 * <p>Arguments: client counts (default {@code 1,32,256}); system properties {@code bench.warmup}
 * and {@code bench.measure} in seconds (default 5 and 10).
 */
public final class InProcessWriteBenchmark {

  private static final int COMMAND_SIZE = 32;

  private InProcessWriteBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args optional comma-separated client counts
   */
  public static void main(String[] args) throws Exception {
    String clients = args.length > 0 ? args[0] : "1,32,256";
    long warmup = Long.getLong("bench.warmup", 5);
    long measure = Long.getLong("bench.measure", 10);
    for (String c : clients.split(",")) {
      System.out.println(run(Integer.parseInt(c.trim()), warmup, measure));
    }
  }

  static String run(int clients, long warmupSeconds, long measureSeconds) throws Exception {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bench");
    try {
      List<ActorRef<RaftPeer.Command>> peers = startPeers(system);
      ActorRef<RaftPeer.Command> leader = awaitLeader(system, peers);
      Recorder recorder = new Recorder(3);
      AtomicLong completed = new AtomicLong();
      AtomicLong errors = new AtomicLong();
      WriteLoadClient.Load load =
          new WriteLoadClient.Load(
              new AtomicReference<>(leader), recorder, completed, errors, COMMAND_SIZE);
      for (int c = 0; c < clients; c++) {
        system.systemActorOf(WriteLoadClient.create(c, load), "client-" + c, Props.empty());
      }
      TimeUnit.SECONDS.sleep(warmupSeconds);
      recorder.getIntervalHistogram(); // discard the warm-up
      long startCount = completed.get();
      long startErrors = errors.get();
      long start = System.nanoTime();
      TimeUnit.SECONDS.sleep(measureSeconds);
      long elapsed = System.nanoTime() - start;
      Histogram histogram = recorder.getIntervalHistogram();
      double opsPerSecond = (completed.get() - startCount) * 1e9 / elapsed;
      return String.format(
          Locale.ROOT,
          "{\"impl\":\"keel\",\"topology\":\"in-process\",\"storage\":\"memory\",\"clients\":%d,"
              + "\"ops_per_s\":%.1f,\"p50_us\":%d,\"p99_us\":%d,\"p999_us\":%d,\"max_us\":%d,"
              + "\"errors\":%d,\"warmup_s\":%d,\"measure_s\":%d,\"host_cpus\":%d}",
          clients,
          opsPerSecond,
          histogram.getValueAtPercentile(50),
          histogram.getValueAtPercentile(99),
          histogram.getValueAtPercentile(99.9),
          histogram.getMaxValue(),
          errors.get() - startErrors,
          warmupSeconds,
          measureSeconds,
          Runtime.getRuntime().availableProcessors());
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static List<ActorRef<RaftPeer.Command>> startPeers(ActorSystem<?> system) {
    List<String> members = List.of("n1", "n2", "n3");
    InProcessNetwork network = new InProcessNetwork(system, 1);
    List<ActorRef<RaftPeer.Command>> peers = new ArrayList<>();
    for (String id : members) {
      RaftPeer.Setup<byte[], Long, Long> setup =
          RaftPeer.setup(
                  id,
                  members,
                  network.transportFor(id),
                  new InMemoryRaftStorage(),
                  BytesKvStateMachine::new)
              .settings(RaftSettings.fromConfig(system.settings().config()))
              .random(new SplittableRandom(id.hashCode()))
              .build();
      ActorRef<RaftPeer.Command> peer =
          system.systemActorOf(RaftPeer.create(setup), "raft-" + id, Props.empty());
      network.register(id, peer);
      peers.add(peer);
    }
    return peers;
  }

  private static ActorRef<RaftPeer.Command> awaitLeader(
      ActorSystem<?> system, List<ActorRef<RaftPeer.Command>> peers) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      for (ActorRef<RaftPeer.Command> peer : peers) {
        PeerStatus status =
            AskPattern.<RaftPeer.Command, PeerStatus>ask(
                    peer, RaftPeer.GetStatus::new, Duration.ofSeconds(5), system.scheduler())
                .toCompletableFuture()
                .get();
        if (status.role() == PeerStatus.Role.LEADER) {
          return peer;
        }
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    throw new IllegalStateException("no leader within 30 s");
  }
}
