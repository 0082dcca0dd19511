package dev.keel.raft.testkit.linearizability;

import java.util.ArrayList;
import java.util.List;

/**
 * A FIFO queue with enqueue and dequeue: an enqueue is acknowledged; a dequeue takes and returns
 * the head, or returns absent when the queue is empty. A dequeue that returns an element out of
 * order, one never enqueued, one already taken, or absent while an element whose enqueue completed
 * before it was never taken, is a violation. The queue starts empty; the state is an unmodifiable
 * {@link List}, head first, copied by each operation that changes it.
 *
 * <pre>{@code
 * history.ok(1, QueueOp.enqueue("a"), Response.ack(), 0, 10)
 *        .ok(2, QueueOp.dequeue(), Response.value("a"), 20, 30)
 *        .ok(2, QueueOp.dequeue(), Response.absent(), 40, 50);
 * }</pre>
 *
 * <p>A dequeue that timed out may have taken an element, so it is never left out.
 *
 * @param <V> the element type; immutable values with {@code equals} and {@code hashCode}
 */
public final class QueueModel<V> implements DeterministicModel<List<V>, QueueOp<V>, Response<V>> {

  private QueueModel() {}

  /** A model of a queue that starts empty. */
  public static <V> QueueModel<V> create() {
    return new QueueModel<>();
  }

  /** {@inheritDoc} */
  @Override
  public List<V> init() {
    return List.of();
  }

  /** {@inheritDoc} */
  @Override
  public Transition<List<V>, Response<V>> apply(List<V> state, QueueOp<V> input) {
    if (input instanceof QueueOp.Enqueue<V> enqueue) {
      List<V> longer = new ArrayList<>(state.size() + 1);
      longer.addAll(state);
      longer.add(enqueue.value());
      return new Transition<>(List.copyOf(longer), Response.ack());
    }
    if (state.isEmpty()) {
      return new Transition<>(state, Response.absent());
    }
    return new Transition<>(
        List.copyOf(state.subList(1, state.size())), Response.value(state.get(0)));
  }
}
