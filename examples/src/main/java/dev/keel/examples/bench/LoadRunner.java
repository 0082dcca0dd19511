package dev.keel.examples.bench;

import dev.keel.raft.RaftClient;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.jspecify.annotations.Nullable;

/**
 * C closed-loop clients of the benchmark's key-value group: each keeps one request outstanding (a
 * 32-byte write, or a read of its key) and sends the next when it is answered, recording the
 * latency of every {@code Ok} answer. Requests go through {@link RaftClient} (the way applications
 * call Keel), or, with {@link ClientMode#DIRECT}, straight to the leader from long-lived actors
 * with a fixed reply address (what the peer libraries' harness does: submit to the leader's node
 * object).
 */
final class LoadRunner {

  /** Bytes per write command: an 8-byte key and a 24-byte value (DESIGN §6). */
  static final int COMMAND_SIZE = 32;

  private static final Duration DEADLINE = Duration.ofSeconds(10);

  /** What the clients send. */
  enum Kind {
    WRITES("writes"),
    LINEARIZABLE_READS("reads-linearizable"),
    LOCAL_READS("reads-local");

    final String label;

    Kind(String label) {
      this.label = label;
    }

    static Kind of(String label) {
      for (Kind kind : values()) {
        if (kind.label.equals(label)) {
          return kind;
        }
      }
      throw new IllegalArgumentException("unknown load kind " + label);
    }
  }

  /** How requests reach the leader. */
  enum ClientMode {
    RAFT_CLIENT,
    DIRECT;

    String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static ClientMode of(String label) {
      return valueOf(label.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
  }

  private final Kind kind;
  private final Recorder latencies = new Recorder(3);
  private final LongAdder completed = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final AtomicInteger running = new AtomicInteger();
  private volatile ActorRef<RaftPeer.Command> leader;
  private volatile boolean stopping;
  private long markCompleted;
  private long markErrors;

  private LoadRunner(Kind kind, ActorRef<RaftPeer.Command> leader) {
    this.kind = kind;
    this.leader = leader;
  }

  /**
   * Starts {@code clients} clients in {@code system}.
   *
   * @param members every member's reference, for the {@link RaftClient}
   * @param leader where direct clients send (RaftClient finds the leader itself)
   */
  static LoadRunner start(
      ActorSystem<?> system,
      Map<String, ActorRef<RaftPeer.Command>> members,
      ActorRef<RaftPeer.Command> leader,
      Kind kind,
      ClientMode mode,
      int clients) {
    LoadRunner runner = new LoadRunner(kind, leader);
    RaftClient<byte[], Long, Long> client = RaftClient.create(system, members);
    for (int slot = 0; slot < clients; slot++) {
      runner.running.incrementAndGet();
      if (mode == ClientMode.DIRECT) {
        system.systemActorOf(runner.directClient(slot), "bench-client-" + slot, Props.empty());
      } else {
        runner.next(client, slot, BytesKvStateMachine.command(slot, COMMAND_SIZE));
      }
    }
    return runner;
  }

  private void next(RaftClient<byte[], Long, Long> client, int slot, byte[] command) {
    if (stopping) {
      running.decrementAndGet();
      return;
    }
    long sentAt = System.nanoTime();
    (switch (kind) {
          case WRITES -> client.write(command, DEADLINE);
          case LINEARIZABLE_READS ->
              client.read((long) slot, RaftPeer.ReadConsistency.LINEARIZABLE, DEADLINE);
          case LOCAL_READS -> client.read((long) slot, RaftPeer.ReadConsistency.LOCAL, DEADLINE);
        })
        .whenComplete(
            (reply, failure) -> {
              record(sentAt, reply);
              next(client, slot, command);
            });
  }

  private Behavior<RaftReply<Long>> directClient(int slot) {
    byte[] command = BytesKvStateMachine.command(slot, COMMAND_SIZE);
    return Behaviors.setup(
        ctx -> {
          long[] sentAt = {System.nanoTime()};
          leader.tell(request(slot, command, ctx.getSelf()));
          return Behaviors.receiveMessage(
              reply -> {
                record(sentAt[0], reply);
                if (reply instanceof RaftReply.NotLeader<Long> notLeader
                    && notLeader.leader() != null) {
                  leader = notLeader.leader();
                }
                if (stopping) {
                  running.decrementAndGet();
                  return Behaviors.stopped();
                }
                sentAt[0] = System.nanoTime();
                leader.tell(request(slot, command, ctx.getSelf()));
                return Behaviors.same();
              });
        });
  }

  private RaftPeer.Command request(int slot, byte[] command, ActorRef<RaftReply<Long>> replyTo) {
    return switch (kind) {
      case WRITES -> new RaftPeer.Write<byte[], Long>(command, replyTo);
      case LINEARIZABLE_READS ->
          new RaftPeer.Read<Long, Long>(
              (long) slot, RaftPeer.ReadConsistency.LINEARIZABLE, replyTo);
      case LOCAL_READS ->
          new RaftPeer.Read<Long, Long>((long) slot, RaftPeer.ReadConsistency.LOCAL, replyTo);
    };
  }

  private void record(long sentAt, @Nullable RaftReply<Long> reply) {
    if (reply instanceof RaftReply.Ok) {
      latencies.recordValue((System.nanoTime() - sentAt) / 1000);
      completed.increment();
    } else {
      errors.increment();
    }
  }

  /** Starts the measured window: forgets the latencies so far, remembers the counts. */
  synchronized void mark() {
    latencies.getIntervalHistogram();
    markCompleted = completed.sum();
    markErrors = errors.sum();
  }

  /** Adds the window since {@link #mark()}: ops/s, latency percentiles, errors. */
  synchronized JsonLine window(double seconds) {
    Histogram histogram = latencies.getIntervalHistogram();
    return new JsonLine()
        .add("ops_per_s", (completed.sum() - markCompleted) / seconds, 1)
        .add("p50_us", histogram.getValueAtPercentile(50))
        .add("p99_us", histogram.getValueAtPercentile(99))
        .add("p999_us", histogram.getValueAtPercentile(99.9))
        .add("max_us", histogram.getMaxValue())
        .add("errors", errors.sum() - markErrors);
  }

  /** Stops the clients: each stops once its request is answered; waits up to 15 s. */
  void stop() throws InterruptedException {
    stopping = true;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (running.get() > 0 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(10);
    }
  }
}
