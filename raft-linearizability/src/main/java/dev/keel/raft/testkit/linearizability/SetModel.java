package dev.keel.raft.testkit.linearizability;

import java.util.HashSet;
import java.util.Set;

/**
 * A set with add and read-all, as in Jepsen's set workload: an add is acknowledged, a read returns
 * every element added so far. A read that misses an element whose add completed before the read
 * began, or that sees an element no add wrote, or two reads that disagree on the order of two adds,
 * are violations. The set starts empty; the state is an unmodifiable {@link Set}, copied by each
 * add of a new element.
 *
 * <pre>{@code
 * history.ok(1, SetOp.add(1), Response.ack(), 0, 10)
 *        .ok(2, SetOp.read(), Response.value(Set.of(1)), 20, 30);
 * }</pre>
 *
 * @param <V> the element type; immutable values with {@code equals} and {@code hashCode}
 */
public final class SetModel<V> implements DeterministicModel<Set<V>, SetOp<V>, Response<Set<V>>> {

  private SetModel() {}

  /** A model of a set that starts empty. */
  public static <V> SetModel<V> create() {
    return new SetModel<>();
  }

  /** {@inheritDoc} */
  @Override
  public Set<V> init() {
    return Set.of();
  }

  /** {@inheritDoc} */
  @Override
  public Transition<Set<V>, Response<Set<V>>> apply(Set<V> state, SetOp<V> input) {
    if (input instanceof SetOp.Add<V> add) {
      if (state.contains(add.value())) {
        return new Transition<>(state, Response.ack());
      }
      Set<V> grown = new HashSet<>(state);
      grown.add(add.value());
      return new Transition<>(Set.copyOf(grown), Response.ack());
    }
    return new Transition<>(state, Response.value(state));
  }

  /** Reads: the checker leaves them out when indeterminate. */
  @Override
  public boolean isReadOnly(SetOp<V> input) {
    return input instanceof SetOp.Read<V>;
  }
}
