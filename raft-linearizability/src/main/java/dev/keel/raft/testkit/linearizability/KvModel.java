package dev.keel.raft.testkit.linearizability;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A key-value map with get, put, compare-and-set and delete, checked key by key: operations on
 * different keys never interact, so {@link #partition} splits the history per key and each part is
 * checked alone, which keeps the search small. Every key starts absent.
 *
 * <p>The state is therefore the value of one key (empty when absent), not the whole map: this model
 * is only meaningful on the per-key parts that its own {@link #partition} produces, which is how
 * the {@link LinearizabilityChecker} always uses it.
 *
 * @param <K> the key type
 * @param <V> the value type; an immutable value with {@code equals} and {@code hashCode}
 */
public final class KvModel<K, V> implements Model<Optional<V>, KvOp<K, V>, Response<V>> {

  /** A model of a map in which every key starts absent. */
  public static <K, V> KvModel<K, V> create() {
    return new KvModel<>();
  }

  private KvModel() {}

  /** {@inheritDoc} */
  @Override
  public Optional<V> init() {
    return Optional.empty();
  }

  /** {@inheritDoc} */
  @Override
  public Optional<Optional<V>> step(
      Optional<V> state, KvOp<K, V> input, @Nullable Response<V> output) {
    if (input instanceof KvOp.Put<K, V> put) {
      return CellRules.write(Optional.of(put.value()), output);
    }
    if (input instanceof KvOp.Delete<K, V>) {
      return CellRules.write(Optional.empty(), output);
    }
    if (input instanceof KvOp.CompareAndSet<K, V> cas) {
      return CellRules.compareAndSet(state, cas.expected(), cas.update(), output);
    }
    return CellRules.read(state, output);
  }

  /** Gets: the checker leaves them out when indeterminate. */
  @Override
  public boolean isReadOnly(KvOp<K, V> input) {
    return input instanceof KvOp.Get<K, V>;
  }

  /** One part per key, labelled {@code key=K}. */
  @Override
  public List<History<KvOp<K, V>, Response<V>>> partition(
      History<KvOp<K, V>, Response<V>> history) {
    return history.partitionBy(KvOp::key);
  }

  /** {@inheritDoc} */
  @Override
  public String describeState(Optional<V> state) {
    return CellRules.describe(state);
  }
}
