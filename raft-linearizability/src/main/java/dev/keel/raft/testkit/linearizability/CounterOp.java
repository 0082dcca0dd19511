package dev.keel.raft.testkit.linearizability;

/**
 * An operation on a counter: the input type of {@link CounterModel}. Its outputs are {@link
 * Response}s of {@code Long}.
 */
public sealed interface CounterOp {

  /**
   * Adds {@code delta} (negative to subtract); answered with {@link Response#ack}, or with {@link
   * Response#value} of the counter's new value if the counter tells it.
   */
  static CounterOp add(long delta) {
    return new Add(delta);
  }

  /** Reads the counter; answered with {@link Response#value} of its value. */
  static CounterOp read() {
    return new Read();
  }

  /**
   * An addition.
   *
   * @param delta the amount added; negative to subtract
   */
  record Add(long delta) implements CounterOp {
    @Override
    public String toString() {
      return "add(" + delta + ")";
    }
  }

  /** A read. */
  record Read() implements CounterOp {
    @Override
    public String toString() {
      return "read()";
    }
  }
}
