package dev.keel.raft.testkit.linearizability;

import java.util.Set;

/**
 * An operation on a set that only grows, as in Jepsen's set workload: the input type of {@link
 * SetModel}. Its outputs are {@link Response}s of the set type.
 *
 * @param <V> the element type
 */
public sealed interface SetOp<V> {

  /** Adds {@code value}; answered with {@link Response#ack}, also if it was already there. */
  static <V> SetOp<V> add(V value) {
    return new Add<>(value);
  }

  /** Reads every element; answered with {@link Response#value} of a {@link Set}. */
  static <V> SetOp<V> read() {
    return new Read<>();
  }

  /**
   * An addition.
   *
   * @param value the element added
   * @param <V> the element type
   */
  record Add<V>(V value) implements SetOp<V> {
    @Override
    public String toString() {
      return "add(" + value + ")";
    }
  }

  /**
   * A read of all elements.
   *
   * @param <V> the element type
   */
  record Read<V>() implements SetOp<V> {
    @Override
    public String toString() {
      return "read()";
    }
  }
}
