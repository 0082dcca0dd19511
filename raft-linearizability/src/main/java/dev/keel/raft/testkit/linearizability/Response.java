package dev.keel.raft.testkit.linearizability;

import org.jspecify.annotations.Nullable;

/**
 * What a register or key-value operation returned: the output type of {@link RegisterModel} and
 * {@link KvModel}.
 *
 * @param <V> the value type
 */
public sealed interface Response<V> {

  /** A write, delete or successful compare-and-set. */
  static <V> Response<V> ack() {
    return new Ack<>();
  }

  /** A compare-and-set whose expected value did not match: nothing changed. */
  static <V> Response<V> rejected() {
    return new Rejected<>();
  }

  /** A read that found {@code value}. */
  static <V> Response<V> value(V value) {
    return new Value<>(value);
  }

  /** A read that found no value. */
  static <V> Response<V> absent() {
    return new Value<>(null);
  }

  /**
   * The write, delete or compare-and-set took effect.
   *
   * @param <V> the value type
   */
  record Ack<V>() implements Response<V> {
    @Override
    public String toString() {
      return "ok";
    }
  }

  /**
   * The compare-and-set found another value and changed nothing.
   *
   * @param <V> the value type
   */
  record Rejected<V>() implements Response<V> {
    @Override
    public String toString() {
      return "rejected";
    }
  }

  /**
   * A read's result.
   *
   * @param value the value read, or {@code null} if there was none
   * @param <V> the value type
   */
  record Value<V>(@Nullable V value) implements Response<V> {
    @Override
    public String toString() {
      return value == null ? "absent" : value.toString();
    }
  }
}
