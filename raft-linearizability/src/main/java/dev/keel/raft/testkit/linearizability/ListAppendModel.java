package dev.keel.raft.testkit.linearizability;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A store of append-only lists, one per key, as in Jepsen's list-append workload: an append adds an
 * element at the end of one key's list and is acknowledged; a read returns that key's whole list.
 * Keys never interact, so {@link #partition} splits the history per key, and the state is the list
 * of one key. Every list starts empty.
 *
 * <pre>{@code
 * history.ok(1, ListAppendOp.append("x", 1), Response.ack(), 0, 10)
 *        .ok(2, ListAppendOp.read("x"), Response.value(List.of(1)), 20, 30);
 * }</pre>
 *
 * <p>A read that returns elements out of order, misses an acknowledged append that completed before
 * it, or sees an element no append wrote, is a violation.
 *
 * @param <K> the key type
 * @param <V> the element type; immutable values with {@code equals} and {@code hashCode}
 */
public final class ListAppendModel<K, V>
    implements Model<AppendOnlyList<V>, ListAppendOp<K, V>, Response<List<V>>> {

  private ListAppendModel() {}

  /** A model of a store in which every key's list starts empty. */
  public static <K, V> ListAppendModel<K, V> create() {
    return new ListAppendModel<>();
  }

  /** {@inheritDoc} */
  @Override
  public AppendOnlyList<V> init() {
    return AppendOnlyList.empty();
  }

  /** {@inheritDoc} */
  @Override
  public Optional<AppendOnlyList<V>> step(
      AppendOnlyList<V> state, ListAppendOp<K, V> input, @Nullable Response<List<V>> output) {
    if (input instanceof ListAppendOp.Append<K, V> append) {
      return output == null || output instanceof Response.Ack<List<V>>
          ? Optional.of(state.append(append.value()))
          : Optional.empty();
    }
    if (output == null) {
      return Optional.of(state);
    }
    List<V> seen = output instanceof Response.Value<List<V>> read ? read.value() : null;
    return seen != null && state.contentEquals(seen) ? Optional.of(state) : Optional.empty();
  }

  /** Reads: the checker leaves them out when indeterminate. */
  @Override
  public boolean isReadOnly(ListAppendOp<K, V> input) {
    return input instanceof ListAppendOp.Read<K, V>;
  }

  /** One part per key, labelled {@code key=K}. */
  @Override
  public List<History<ListAppendOp<K, V>, Response<List<V>>>> partition(
      History<ListAppendOp<K, V>, Response<List<V>>> history) {
    return history.partitionBy(ListAppendOp::key);
  }
}
