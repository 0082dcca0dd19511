package dev.keel.raft.persistence.rocksdb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * Write throughput of the RocksDB journal through {@code EventSourcedBehavior}s: C actors each
 * persist one command at a time (closed loop), all concurrently. Prints one JSON line per C.
 *
 * <p>Run: {@code mvn -B -q test-compile -pl raft-persistence && java -cp
 * "raft-persistence/target/test-classes:raft-persistence/target/classes:$(cat cp.txt)"
 * dev.keel.raft.persistence.rocksdb.JournalBenchmark [seconds] [clients...]} with {@code cp.txt}
 * from {@code mvn -pl raft-persistence dependency:build-classpath -Dmdep.outputFile=cp.txt}. Set
 * {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism=2} on small machines.
 */
public final class JournalBenchmark {

  private static final String PAYLOAD = "x".repeat(32);

  private JournalBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args measured seconds per run (default 5), then client counts (default 1 16 64 256)
   */
  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    List<Integer> clients = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      clients.add(Integer.parseInt(args[i]));
    }
    if (clients.isEmpty()) {
      clients = List.of(1, 16, 64, 256);
    }
    for (int count : clients) {
      Path root = Files.createTempDirectory("keel-journal-bench");
      ActorTestKit kit = TestSystems.start(root);
      try {
        run(kit, count, Duration.ofSeconds(1)); // warm-up
        run(kit, count, Duration.ofSeconds(seconds)).print(count);
      } finally {
        kit.shutdownTestKit();
      }
    }
  }

  private record Result(long writes, double seconds, JournalStatistics stats, long p50, long p99) {
    void print(int clients) {
      System.out.printf(
          "{\"impl\":\"keel\",\"bench\":\"rocksdb-journal\",\"storage\":\"durable-fsync\","
              + "\"clients\":%d,\"ops_per_s\":%.0f,\"fsyncs_per_s\":%.0f,"
              + "\"events_per_fsync\":%.1f,\"p50_us\":%d,\"p99_us\":%d}%n",
          clients, writes / seconds, stats.batches() / seconds, stats.eventsPerBatch(), p50, p99);
    }
  }

  private static Result run(ActorTestKit kit, int clients, Duration duration) throws Exception {
    JournalStatistics before = statistics(kit);
    long deadline = System.nanoTime() + duration.toNanos();
    CountDownLatch finished = new CountDownLatch(clients);
    AtomicLong writes = new AtomicLong();
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    long start = System.nanoTime();
    for (int i = 0; i < clients; i++) {
      ActorRef<Persist> target = kit.spawn(Counter.create("bench-" + System.nanoTime() + "-" + i));
      kit.spawn(Driver.create(target, deadline, writes, latencies, finished));
    }
    if (!finished.await(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("clients did not finish");
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    JournalStatistics after = statistics(kit);
    JournalStatistics delta =
        new JournalStatistics(
            after.batches() - before.batches(),
            after.atomicWrites() - before.atomicWrites(),
            after.events() - before.events(),
            after.bytes() - before.bytes(),
            0);
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    return new Result(
        writes.get(), elapsed, delta, percentile(sorted, 0.50), percentile(sorted, 0.99));
  }

  private static long percentile(List<Long> sorted, double p) {
    return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, sorted.size() * p));
  }

  private static JournalStatistics statistics(ActorTestKit kit) {
    return RocksDbStatistics.get(kit.system())
        .journal(RocksDbPlugins.JOURNAL_PLUGIN_ID)
        .orElse(JournalStatistics.EMPTY);
  }

  /** Persist one event, reply when durable. */
  record Persist(ActorRef<Long> replyTo) {}

  /** An event-sourced counter persisting one 32-byte event per command. */
  static final class Counter extends EventSourcedBehavior<Persist, String, Long> {
    private Counter(String id) {
      super(PersistenceId.ofUniqueId(id));
    }

    static Behavior<Persist> create(String id) {
      return new Counter(id);
    }

    @Override
    public Long emptyState() {
      return 0L;
    }

    @Override
    public CommandHandler<Persist, String, Long> commandHandler() {
      return newCommandHandlerBuilder()
          .forAnyState()
          .onAnyCommand(
              command -> Effect().persist(PAYLOAD).thenReply(command.replyTo(), count -> count));
    }

    @Override
    public EventHandler<Long, String> eventHandler() {
      return newEventHandlerBuilder().forAnyState().onAnyEvent((count, event) -> count + 1);
    }

    @Override
    public String journalPluginId() {
      return RocksDbPlugins.JOURNAL_PLUGIN_ID;
    }

    @Override
    public String snapshotPluginId() {
      return RocksDbPlugins.SNAPSHOT_STORE_PLUGIN_ID;
    }
  }

  /** Sends one command at a time to a counter until the deadline. */
  static final class Driver {
    private Driver() {}

    static Behavior<Long> create(
        ActorRef<Persist> target,
        long deadline,
        AtomicLong writes,
        List<Long> latencies,
        CountDownLatch finished) {
      return Behaviors.setup(
          context -> {
            long[] sentAt = {System.nanoTime()};
            target.tell(new Persist(context.getSelf()));
            return Behaviors.receiveMessage(
                count -> {
                  long now = System.nanoTime();
                  writes.incrementAndGet();
                  latencies.add((now - sentAt[0]) / 1000);
                  if (now >= deadline) {
                    finished.countDown();
                    return Behaviors.stopped();
                  }
                  sentAt[0] = now;
                  target.tell(new Persist(context.getSelf()));
                  return Behaviors.same();
                });
          });
    }
  }
}
