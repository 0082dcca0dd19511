package dev.keel.raft.testkit.linearizability;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A single register with read, write and compare-and-set. Its state is the register's value, or
 * empty before the first write when it starts {@link #empty()}.
 *
 * @param <V> the value type; an immutable value with {@code equals} and {@code hashCode}
 */
public final class RegisterModel<V> implements Model<Optional<V>, RegisterOp<V>, Response<V>> {

  private final Optional<V> initial;

  private RegisterModel(Optional<V> initial) {
    this.initial = initial;
  }

  /** A register that holds no value until the first write; reads of it return absent. */
  public static <V> RegisterModel<V> empty() {
    return new RegisterModel<>(Optional.empty());
  }

  /** A register that starts with {@code initial}. */
  public static <V> RegisterModel<V> startingAt(V initial) {
    return new RegisterModel<>(Optional.of(initial));
  }

  /** {@inheritDoc} */
  @Override
  public Optional<V> init() {
    return initial;
  }

  /** {@inheritDoc} */
  @Override
  public Optional<Optional<V>> step(
      Optional<V> state, RegisterOp<V> input, @Nullable Response<V> output) {
    if (input instanceof RegisterOp.Write<V> write) {
      return CellRules.write(Optional.of(write.value()), output);
    }
    if (input instanceof RegisterOp.CompareAndSet<V> cas) {
      return CellRules.compareAndSet(state, cas.expected(), cas.update(), output);
    }
    return CellRules.read(state, output);
  }

  /** Reads: the checker leaves them out when indeterminate. */
  @Override
  public boolean isReadOnly(RegisterOp<V> input) {
    return input instanceof RegisterOp.Read<V>;
  }

  /** {@inheritDoc} */
  @Override
  public String describeState(Optional<V> state) {
    return CellRules.describe(state);
  }
}
