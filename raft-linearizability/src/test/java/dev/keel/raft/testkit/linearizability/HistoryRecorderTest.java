package dev.keel.raft.testkit.linearizability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HistoryRecorderTest {

  private final AtomicLong clock = new AtomicLong(1_000);
  private final HistoryRecorder<KvOp<String, Integer>, Response<Integer>> recorder =
      new HistoryRecorder<>(clock::get);

  @Test
  void recordsInvocationAndReturnTimesFromTheInjectedClock() {
    OperationHandle<Response<Integer>> put = recorder.invoke(1, KvOp.put("x", 1));
    clock.set(1_050);
    OperationHandle<Response<Integer>> get = recorder.invoke(2, KvOp.get("x"));
    clock.set(1_100);
    put.ok(Response.ack());
    clock.set(1_200);
    get.ok(Response.value(1));

    assertThat(recorder.history().operations())
        .containsExactly(
            Operation.completed(0, 1, KvOp.put("x", 1), Response.ack(), 1_000, 1_100),
            Operation.completed(1, 2, KvOp.get("x"), Response.value(1), 1_050, 1_200));
    assertThat(recorder.history().startNanos()).isEqualTo(1_000);
  }

  @Test
  void failedOperationsAreLeftOut() {
    recorder.invoke(1, KvOp.put("x", 1)).fail();
    recorder.invoke(1, KvOp.put("x", 2)).ok(Response.ack());

    assertThat(recorder.history().operations())
        .singleElement()
        .extracting(Operation::input)
        .isEqualTo(KvOp.put("x", 2));
  }

  @Test
  void timedOutAndPendingOperationsAreIndeterminate() {
    recorder.invoke(1, KvOp.put("x", 1)).indeterminate();
    clock.set(2_000);
    recorder.invoke(2, KvOp.put("x", 2));

    assertThat(recorder.history().operations())
        .containsExactly(
            Operation.indeterminate(0, 1, KvOp.put("x", 1), 1_000),
            Operation.indeterminate(1, 2, KvOp.put("x", 2), 2_000));
  }

  @Test
  void completingAnOperationTwiceIsAnError() {
    OperationHandle<Response<Integer>> put = recorder.invoke(1, KvOp.put("x", 1));
    put.indeterminate();

    assertThatThrownBy(() -> put.ok(Response.ack()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("put(x, 1)")
        .hasMessageContaining("already completed as INDETERMINATE");
  }

  @Test
  void recordsFromManyThreadsAtOnce() throws Exception {
    HistoryRecorder<KvOp<String, Integer>, Response<Integer>> shared = new HistoryRecorder<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> clients = new ArrayList<>();
      for (int client = 0; client < 8; client++) {
        int id = client;
        clients.add(pool.submit(() -> recordSome(shared, id)));
      }
      for (Future<?> client : clients) {
        client.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    List<Operation<KvOp<String, Integer>, Response<Integer>>> operations =
        shared.history().operations();
    assertThat(operations).hasSize(8 * 500);
    assertThat(operations).extracting(Operation::id).doesNotHaveDuplicates();
    assertThat(operations).allMatch(op -> op.invokeNanos() <= op.returnNanos());
    assertThat(operations)
        .isSortedAccordingTo(java.util.Comparator.comparingLong(Operation::invokeNanos));
  }

  private static void recordSome(
      HistoryRecorder<KvOp<String, Integer>, Response<Integer>> shared, int client) {
    for (int i = 0; i < 500; i++) {
      shared.invoke(client, KvOp.put("k" + client, i)).ok(Response.ack());
    }
  }

  @Test
  void operationsMustNotReturnBeforeTheyAreInvoked() {
    assertThatThrownBy(() -> History.<String, String>builder().ok(1, "read", "x", 10, 9).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("before its invocation");
  }

  @Test
  void historiesAreOrderedByInvocation() {
    History<String, String> history =
        History.<String, String>builder()
            .ok(1, "second", "b", 20, 30)
            .ok(2, "first", "a", 10, 40)
            .build();

    assertThat(history.operations())
        .extracting(Operation::input)
        .containsExactly("first", "second");
    assertThat(history.startNanos()).isEqualTo(10);
  }
}
