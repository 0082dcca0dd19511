package dev.keel.raft.testkit.linearizability;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A single-threaded simulation of a linearizable key-value store and its clients, producing
 * histories that must pass the checker. Each client runs one operation at a time; each operation
 * takes effect on the store at a random instant between its invocation and its return, so
 * operations of different clients overlap at random. Some operations are rejected before being
 * proposed (recorded with {@code fail()}), and some time out (recorded as indeterminate) and then
 * take effect later, possibly after the timeout, or never. Everything follows the seed.
 */
final class KvSimulation {

  /**
   * What to simulate.
   *
   * @param clients concurrent clients
   * @param keys distinct keys, {@code k0}, {@code k1}, ...
   * @param operations operations invoked in total
   * @param maxLatency the largest delay from invocation to effect, and from effect to return
   * @param maxThink the largest pause of a client between two operations
   * @param timeoutRate the fraction of operations that time out
   * @param rejectRate the fraction of operations rejected without being proposed
   */
  record Settings(
      int clients,
      int keys,
      int operations,
      long maxLatency,
      long maxThink,
      double timeoutRate,
      double rejectRate) {}

  private record Event(long time, long sequence, Runnable action) {}

  private final SplittableRandom random;
  private final Settings settings;
  private final PriorityQueue<Event> events =
      new PriorityQueue<>(Comparator.comparingLong(Event::time).thenComparingLong(Event::sequence));
  private final HistoryRecorder<KvOp<String, Integer>, Response<Integer>> recorder;
  private final Map<String, Integer> store = new HashMap<>();

  /** The last value each client saw per key, which its compare-and-sets expect. */
  private final Map<Integer, Map<String, Integer>> seen = new HashMap<>();

  private long now;
  private long sequence;
  private int invoked;
  private int nextValue = 1;

  private KvSimulation(long seed, Settings settings) {
    this.random = new SplittableRandom(seed);
    this.settings = settings;
    this.recorder = new HistoryRecorder<>(() -> now);
  }

  /** Runs a simulation and returns its recorded history. */
  static History<KvOp<String, Integer>, Response<Integer>> run(long seed, Settings settings) {
    return new KvSimulation(seed, settings).run();
  }

  private History<KvOp<String, Integer>, Response<Integer>> run() {
    for (int client = 0; client < settings.clients(); client++) {
      seen.put(client, new HashMap<>());
      thinkThenInvoke(client);
    }
    while (!events.isEmpty()) {
      Event event = events.poll();
      now = event.time();
      event.action().run();
    }
    return recorder.history();
  }

  private void schedule(long time, Runnable action) {
    events.add(new Event(time, sequence++, action));
  }

  private void thinkThenInvoke(int client) {
    schedule(now + random.nextLong(settings.maxThink() + 1), () -> invoke(client));
  }

  private void invoke(int client) {
    if (invoked == settings.operations()) {
      return;
    }
    invoked++;
    KvOp<String, Integer> op = randomOp(client);
    OperationHandle<Response<Integer>> handle = recorder.invoke(client, op);
    double fate = random.nextDouble();
    long latency = settings.maxLatency();
    if (fate < settings.rejectRate()) {
      schedule(now + random.nextLong(latency + 1), () -> finish(client, handle::fail));
    } else if (fate < settings.rejectRate() + settings.timeoutRate()) {
      if (random.nextBoolean()) {
        schedule(now + random.nextLong(4 * latency + 1), () -> apply(op));
      }
      schedule(now + 2 * latency, () -> finish(client, handle::indeterminate));
    } else {
      long returnTime = now + random.nextLong(latency + 1) + random.nextLong(latency + 1);
      schedule(
          now + random.nextLong(returnTime - now + 1),
          () -> {
            Response<Integer> response = apply(op);
            schedule(
                returnTime, () -> finish(client, () -> acknowledge(client, op, response, handle)));
          });
    }
  }

  private void finish(int client, Runnable record) {
    record.run();
    thinkThenInvoke(client);
  }

  private void acknowledge(
      int client,
      KvOp<String, Integer> op,
      Response<Integer> response,
      OperationHandle<Response<Integer>> handle) {
    handle.ok(response);
    Map<String, Integer> view = seen.get(client);
    if (response instanceof Response.Value<Integer> read && read.value() != null) {
      view.put(op.key(), read.value());
    } else if (op instanceof KvOp.Put<String, Integer> put) {
      view.put(op.key(), put.value());
    } else if (op instanceof KvOp.CompareAndSet<String, Integer> cas
        && response instanceof Response.Ack<Integer>) {
      view.put(op.key(), cas.update());
    }
  }

  private KvOp<String, Integer> randomOp(int client) {
    String key = "k" + random.nextInt(settings.keys());
    int kind = random.nextInt(20);
    if (kind < 9) {
      return KvOp.get(key);
    }
    if (kind < 14) {
      return KvOp.put(key, nextValue++);
    }
    if (kind < 18) {
      Integer expected = seen.get(client).get(key);
      return KvOp.cas(
          key, expected != null ? expected : 1 + random.nextInt(nextValue), nextValue++);
    }
    return KvOp.delete(key);
  }

  /** The store's sequential semantics; the simulation's one source of truth. */
  private Response<Integer> apply(KvOp<String, Integer> op) {
    String key = op.key();
    if (op instanceof KvOp.Put<String, Integer> put) {
      store.put(key, put.value());
      return Response.ack();
    }
    if (op instanceof KvOp.Delete<String, Integer>) {
      store.remove(key);
      return Response.ack();
    }
    if (op instanceof KvOp.CompareAndSet<String, Integer> cas) {
      if (cas.expected().equals(store.get(key))) {
        store.put(key, cas.update());
        return Response.ack();
      }
      return Response.rejected();
    }
    Integer value = store.get(key);
    return value == null ? Response.absent() : Response.value(value);
  }
}
