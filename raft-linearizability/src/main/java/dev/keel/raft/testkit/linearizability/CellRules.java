package dev.keel.raft.testkit.linearizability;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The sequential semantics of one cell (a register, or one key of a map) whose state is its value
 * or empty. A {@code null} output means the operation is indeterminate and accepts any output.
 */
final class CellRules {

  private CellRules() {}

  /** A read returns the current value, or absent. */
  static <V> Optional<Optional<V>> read(Optional<V> state, @Nullable Response<V> output) {
    if (output == null) {
      return Optional.of(state);
    }
    if (output instanceof Response.Value<V> read
        && Objects.equals(read.value(), state.orElse(null))) {
      return Optional.of(state);
    }
    return Optional.empty();
  }

  /** A write (or a delete, with an empty {@code value}) replaces the value and is acknowledged. */
  static <V> Optional<Optional<V>> write(Optional<V> value, @Nullable Response<V> output) {
    if (output == null || output instanceof Response.Ack<V>) {
      return Optional.of(value);
    }
    return Optional.empty();
  }

  /**
   * A compare-and-set replaces the value and is acknowledged if the value equals {@code expected};
   * otherwise it is rejected and changes nothing.
   */
  static <V> Optional<Optional<V>> compareAndSet(
      Optional<V> state, V expected, V update, @Nullable Response<V> output) {
    boolean matches = state.isPresent() && state.get().equals(expected);
    if (matches && (output == null || output instanceof Response.Ack<V>)) {
      return Optional.of(Optional.of(update));
    }
    if (!matches && (output == null || output instanceof Response.Rejected<V>)) {
      return Optional.of(state);
    }
    return Optional.empty();
  }

  /** Describes a cell's value for reports. */
  static String describe(Optional<?> state) {
    return state.map(Object::toString).orElse("absent");
  }
}
