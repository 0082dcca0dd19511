package dev.keel.raft.testkit.linearizability;

/**
 * An operation on a FIFO queue: the input type of {@link QueueModel}. Its outputs are {@link
 * Response}s of the element type.
 *
 * @param <V> the element type
 */
public sealed interface QueueOp<V> {

  /** Puts {@code value} at the tail; answered with {@link Response#ack}. */
  static <V> QueueOp<V> enqueue(V value) {
    return new Enqueue<>(value);
  }

  /**
   * Takes the element at the head; answered with {@link Response#value} of it, or {@link
   * Response#absent} if the queue was empty.
   */
  static <V> QueueOp<V> dequeue() {
    return new Dequeue<>();
  }

  /**
   * An enqueue.
   *
   * @param value the element put at the tail
   * @param <V> the element type
   */
  record Enqueue<V>(V value) implements QueueOp<V> {
    @Override
    public String toString() {
      return "enqueue(" + value + ")";
    }
  }

  /**
   * A dequeue.
   *
   * @param <V> the element type
   */
  record Dequeue<V>() implements QueueOp<V> {
    @Override
    public String toString() {
      return "dequeue()";
    }
  }
}
