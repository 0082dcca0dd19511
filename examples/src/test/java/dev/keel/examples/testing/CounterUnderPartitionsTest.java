package dev.keel.examples.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.RaftReply;
import dev.keel.raft.StateMachine;
import dev.keel.raft.testkit.Fault;
import dev.keel.raft.testkit.Nemesis;
import dev.keel.raft.testkit.TestCluster;
import dev.keel.raft.testkit.linearizability.CheckResult;
import dev.keel.raft.testkit.linearizability.HistoryRecorder;
import dev.keel.raft.testkit.linearizability.LinearizabilityChecker;
import dev.keel.raft.testkit.linearizability.Model;
import dev.keel.raft.testkit.linearizability.OperationHandle;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * How a user tests their own state machine with Keel's testkit (the README shows this file): a
 * replicated counter under partitions, crashes and message loss, with every client operation
 * recorded and the history checked for linearizability against a sequential model.
 */
class CounterUnderPartitionsTest {

  /** The user's state machine: a counter; a command adds to it, a query reads it. */
  static final class Counter implements StateMachine<Long, String, Long> {
    private long value;

    @Override
    public Long apply(Long delta) {
      value += delta;
      return value;
    }

    @Override
    public Long query(String ignored) {
      return value;
    }

    @Override
    public void snapshot(OutputStream out) throws IOException {
      new DataOutputStream(out).writeLong(value);
    }

    @Override
    public void restore(InputStream in) throws IOException {
      value = new DataInputStream(in).readLong();
    }
  }

  /** What a client did: add (delta != null) or read. */
  record CounterOp(@Nullable Long delta) {}

  /** The sequential specification the history must fit. */
  static final class CounterModel implements Model<Long, CounterOp, Long> {
    @Override
    public Long init() {
      return 0L;
    }

    @Override
    public Optional<Long> step(Long state, CounterOp op, @Nullable Long output) {
      long next = op.delta() == null ? state : state + op.delta();
      // A timed-out operation (output null) may have happened; otherwise the answer must match.
      return output == null || output == next ? Optional.of(next) : Optional.empty();
    }
  }

  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void counterStaysLinearizableUnderPartitionsAndCrashes() throws Exception {
    long seed = 42; // a failure message names it; rerun with the same seed to replay the faults
    HistoryRecorder<CounterOp, Long> history = new HistoryRecorder<>();
    try (TestCluster<Long, String, Long> cluster =
        TestCluster.builder(Counter::new).nodes(5).seed(seed).start(testKit.system())) {
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < 3; c++) {
        int client = c;
        clients.add(new Thread(() -> runClient(cluster, history, client)));
      }
      clients.forEach(Thread::start);

      Nemesis nemesis = new Nemesis(cluster, seed, EnumSet.allOf(Fault.class));
      nemesis.run(Duration.ofSeconds(3), Duration.ofMillis(100), Duration.ofMillis(400));
      nemesis.healAll();
      for (Thread client : clients) {
        client.join(Duration.ofSeconds(30).toMillis());
      }

      CheckResult result =
          LinearizabilityChecker.check(
              new CounterModel(), history.history(), Duration.ofSeconds(30));
      assertThat(result.linearizable())
          .as("seed %d, faults %s%n%s", seed, nemesis.history(), result.explanation())
          .isTrue();
    }
  }

  /** 60 operations: adds of 1..3 and reads, each recorded with its outcome. */
  private static void runClient(
      TestCluster<Long, String, Long> cluster, HistoryRecorder<CounterOp, Long> history, int id) {
    for (int n = 0; n < 60; n++) {
      boolean read = n % 3 == 0;
      CounterOp op = new CounterOp(read ? null : (long) (n % 3));
      OperationHandle<Long> handle = history.invoke(id, op);
      RaftReply<Long> reply =
          read
              ? cluster.readFromLeader("value", Duration.ofSeconds(2))
              : cluster.writeToLeader(op.delta(), Duration.ofSeconds(2));
      if (reply instanceof RaftReply.Ok<Long> ok) {
        handle.ok(ok.result());
      } else if (reply instanceof RaftReply.TimedOut<Long>) {
        handle.indeterminate(); // it may or may not have happened
      } else {
        handle.fail(); // NotLeader / NoLeader: it was never proposed
      }
    }
  }
}
