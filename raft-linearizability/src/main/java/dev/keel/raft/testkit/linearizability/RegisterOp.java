package dev.keel.raft.testkit.linearizability;

/**
 * An operation on a single register: the input type of {@link RegisterModel}.
 *
 * @param <V> the value type
 */
public sealed interface RegisterOp<V> {

  /** Reads the value; answered with {@link Response#value} or {@link Response#absent}. */
  static <V> RegisterOp<V> read() {
    return new Read<>();
  }

  /** Writes {@code value}; answered with {@link Response#ack}. */
  static <V> RegisterOp<V> write(V value) {
    return new Write<>(value);
  }

  /**
   * Replaces {@code expected} by {@code update}; answered with {@link Response#ack} if the value
   * was {@code expected}, {@link Response#rejected} otherwise.
   */
  static <V> RegisterOp<V> cas(V expected, V update) {
    return new CompareAndSet<>(expected, update);
  }

  /**
   * A read.
   *
   * @param <V> the value type
   */
  record Read<V>() implements RegisterOp<V> {
    @Override
    public String toString() {
      return "read()";
    }
  }

  /**
   * A write.
   *
   * @param value the value written
   * @param <V> the value type
   */
  record Write<V>(V value) implements RegisterOp<V> {
    @Override
    public String toString() {
      return "write(" + value + ")";
    }
  }

  /**
   * A compare-and-set.
   *
   * @param expected the value the register must hold for the update to happen
   * @param update the value written if it does
   * @param <V> the value type
   */
  record CompareAndSet<V>(V expected, V update) implements RegisterOp<V> {
    @Override
    public String toString() {
      return "cas(" + expected + ", " + update + ")";
    }
  }
}
