package dev.keel.raft.testkit.linearizability;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A counter with add and read. An add is answered with an acknowledgement, or with the counter's
 * value after it (as an increment-and-get does); a read with the value. The state is the value.
 *
 * <pre>{@code
 * history.ok(1, CounterOp.add(5), Response.ack(), 0, 10)
 *        .ok(2, CounterOp.add(1), Response.value(6L), 20, 30)
 *        .ok(3, CounterOp.read(), Response.value(6L), 40, 50);
 * }</pre>
 */
public final class CounterModel implements Model<Long, CounterOp, Response<Long>> {

  private final long initial;

  private CounterModel(long initial) {
    this.initial = initial;
  }

  /** A counter that starts at 0. */
  public static CounterModel create() {
    return new CounterModel(0);
  }

  /** A counter that starts at {@code initial}. */
  public static CounterModel startingAt(long initial) {
    return new CounterModel(initial);
  }

  /** {@inheritDoc} */
  @Override
  public Long init() {
    return initial;
  }

  /** {@inheritDoc} */
  @Override
  public Optional<Long> step(Long state, CounterOp input, @Nullable Response<Long> output) {
    long after = input instanceof CounterOp.Add add ? state + add.delta() : state;
    boolean acknowledged = input instanceof CounterOp.Add && output instanceof Response.Ack<Long>;
    boolean valueSeen =
        output instanceof Response.Value<Long> value && Objects.equals(value.value(), after);
    return output == null || acknowledged || valueSeen ? Optional.of(after) : Optional.empty();
  }

  /** Reads: the checker leaves them out when indeterminate. */
  @Override
  public boolean isReadOnly(CounterOp input) {
    return input instanceof CounterOp.Read;
  }
}
