package dev.keel.raft.testkit.linearizability;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * On random tiny histories, linearizable by construction or with one wrong output, every built-in
 * model's verdict matches a brute-force search over all orders.
 */
class ModelsMatchBruteForceTest {

  private static final int SEEDS = 2_000;

  @Test
  void listAppend() {
    new TinyHistories<
            AppendOnlyList<Integer>, ListAppendOp<String, Integer>, Response<List<Integer>>>(
            (state, op) ->
                op instanceof ListAppendOp.Append<String, Integer> append
                    ? new DeterministicModel.Transition<>(
                        state.append(append.value()), Response.ack())
                    : new DeterministicModel.Transition<>(state, Response.value(state.toList())),
            random ->
                random.nextBoolean()
                    ? ListAppendOp.append("x", random.nextInt(3))
                    : ListAppendOp.read("x"),
            (random, op) -> Response.value(randomList(random)))
        .assertCheckerAgreesWithBruteForce(ListAppendModel.create(), SEEDS);
  }

  @Test
  void set() {
    SetModel<Integer> model = SetModel.create();
    new TinyHistories<Set<Integer>, SetOp<Integer>, Response<Set<Integer>>>(
            model::apply,
            random -> random.nextBoolean() ? SetOp.add(random.nextInt(4)) : SetOp.read(),
            (random, op) -> Response.value(new HashSet<>(randomList(random))))
        .assertCheckerAgreesWithBruteForce(model, SEEDS);
  }

  @Test
  void counter() {
    new TinyHistories<Long, CounterOp, Response<Long>>(
            (state, op) ->
                op instanceof CounterOp.Add add
                    ? new DeterministicModel.Transition<>(
                        state + add.delta(), Response.value(state + add.delta()))
                    : new DeterministicModel.Transition<>(state, Response.value(state)),
            random ->
                random.nextBoolean() ? CounterOp.add(random.nextInt(3) - 1) : CounterOp.read(),
            (random, op) ->
                op instanceof CounterOp.Add && random.nextBoolean()
                    ? Response.ack()
                    : Response.value((long) random.nextInt(4)))
        .assertCheckerAgreesWithBruteForce(CounterModel.create(), SEEDS);
  }

  @Test
  void queue() {
    QueueModel<Integer> model = QueueModel.create();
    new TinyHistories<List<Integer>, QueueOp<Integer>, Response<Integer>>(
            model::apply,
            random -> random.nextBoolean() ? QueueOp.enqueue(random.nextInt(3)) : QueueOp.dequeue(),
            (random, op) ->
                random.nextInt(4) == 0 ? Response.absent() : Response.value(random.nextInt(3)))
        .assertCheckerAgreesWithBruteForce(model, SEEDS);
  }

  private static List<Integer> randomList(java.util.SplittableRandom random) {
    List<Integer> list = new ArrayList<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      list.add(random.nextInt(3));
    }
    return list;
  }
}
