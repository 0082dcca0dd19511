package dev.keel.raft.safety;

import dev.keel.raft.RaftReply;
import dev.keel.raft.testkit.TestCluster;
import dev.keel.raft.testkit.kv.KvCommand;
import dev.keel.raft.testkit.kv.KvQuery;
import dev.keel.raft.testkit.kv.KvResult;
import dev.keel.raft.testkit.linearizability.HistoryRecorder;
import dev.keel.raft.testkit.linearizability.KvOp;
import dev.keel.raft.testkit.linearizability.OperationHandle;
import dev.keel.raft.testkit.linearizability.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Concurrent clients issuing random puts, linearizable reads, compare-and-sets and deletes over a
 * few keys through whichever peer leads, recording every operation in a history.
 */
final class KvClients {

  static final int KEYS = 5;
  private static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(1);

  private final TestCluster<KvCommand, KvQuery, KvResult> cluster;
  private final HistoryRecorder<KvOp<String, String>, Response<String>> history;
  private final ClientThreads threads;
  private final Map<String, String> lastSeen = new ConcurrentHashMap<>();
  private final AtomicInteger ok = new AtomicInteger();
  private final AtomicInteger indeterminate = new AtomicInteger();
  private final List<String> unexpected = new ArrayList<>();
  // Log index of every acknowledged write: each write is its own entry, so no two may share one.
  private final Map<Long, String> acknowledgedIndexes = new ConcurrentHashMap<>();
  private final List<String> sharedIndexes = new ArrayList<>();

  KvClients(
      TestCluster<KvCommand, KvQuery, KvResult> cluster,
      HistoryRecorder<KvOp<String, String>, Response<String>> history,
      int count,
      long seed) {
    this.cluster = cluster;
    this.history = history;
    this.threads = new ClientThreads("kv-client", count, seed, this::next);
  }

  void start() {
    threads.start();
  }

  void stop() throws InterruptedException {
    threads.stop();
  }

  private void next(int client, int n, SplittableRandom random) {
    String key = "k" + random.nextInt(KEYS);
    int dice = random.nextInt(10);
    String value = "c" + client + "-" + n;
    String expected = lastSeen.get(key);
    if (dice < 4) {
      write(client, KvOp.put(key, value), new KvCommand.Put(key, value));
    } else if (dice < 7) {
      read(client, key);
    } else if (dice < 9 && expected != null) {
      write(
          client,
          KvOp.cas(key, expected, value),
          new KvCommand.CompareAndSet(key, expected, value));
    } else {
      write(client, KvOp.delete(key), new KvCommand.Delete(key));
    }
  }

  /**
   * A linearizable read of {@code key} once the faults are healed, recorded as {@code client}: it
   * must succeed.
   *
   * @return whether it succeeded
   */
  boolean finalRead(int client, String key) {
    int before = ok.get();
    read(client, key);
    return ok.get() > before;
  }

  /** A linearizable read of {@code key}, recorded as {@code client}. */
  void read(int client, String key) {
    OperationHandle<Response<String>> handle = history.invoke(client, KvOp.get(key));
    RaftReply<KvResult> reply = cluster.readFromLeader(new KvQuery(key), OPERATION_TIMEOUT);
    if (reply instanceof RaftReply.Ok<KvResult> answer) {
      String value = answer.result().value();
      if (value != null) {
        lastSeen.put(key, value);
      }
      handle.ok(value == null ? Response.absent() : Response.value(value));
      ok.incrementAndGet();
    } else {
      complete(handle, reply);
    }
  }

  private void write(int client, KvOp<String, String> op, KvCommand command) {
    OperationHandle<Response<String>> handle = history.invoke(client, op);
    RaftReply<KvResult> reply = cluster.writeToLeader(command, OPERATION_TIMEOUT);
    if (reply instanceof RaftReply.Ok<KvResult> answer) {
      boolean applied = answer.result().applied();
      handle.ok(applied ? Response.ack() : Response.rejected());
      ok.incrementAndGet();
      String previous = acknowledgedIndexes.putIfAbsent(answer.index(), op.toString());
      if (previous != null) {
        synchronized (sharedIndexes) {
          sharedIndexes.add(
              "index " + answer.index() + " acknowledged for " + previous + " and " + op);
        }
      }
    } else {
      complete(handle, reply);
    }
  }

  private void complete(OperationHandle<Response<String>> handle, RaftReply<KvResult> reply) {
    if (reply instanceof RaftReply.NotLeader || reply instanceof RaftReply.NoLeader) {
      handle.fail(); // never proposed, or overwritten before commit: it did not happen
    } else {
      handle.indeterminate(); // timed out: it may or may not have taken effect
      indeterminate.incrementAndGet();
      if (reply instanceof RaftReply.Rejected<KvResult> rejected) {
        synchronized (unexpected) {
          unexpected.add(rejected.reason());
        }
      }
    }
  }

  int okCount() {
    return ok.get();
  }

  /** The highest log index an acknowledged write got, 0 if none. */
  long highestAcknowledgedIndex() {
    return acknowledgedIndexes.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
  }

  /** Log indexes acknowledged for two different writes: each a violation. */
  List<String> sharedIndexes() {
    synchronized (sharedIndexes) {
      return List.copyOf(sharedIndexes);
    }
  }

  int indeterminateCount() {
    return indeterminate.get();
  }

  List<String> unexpectedRejections() {
    synchronized (unexpected) {
      return List.copyOf(unexpected);
    }
  }
}
