package dev.keel.raft.testkit.linearizability;

import java.util.List;

/**
 * An operation on one key of a store of append-only lists, as in Jepsen's list-append workload: the
 * input type of {@link ListAppendModel}. Its outputs are {@link Response}s of the list type.
 *
 * @param <K> the key type
 * @param <V> the element type
 */
public sealed interface ListAppendOp<K, V> {

  /** The key whose list this operation reads or appends to. */
  K key();

  /** Appends {@code value} to the list of {@code key}; answered with {@link Response#ack}. */
  static <K, V> ListAppendOp<K, V> append(K key, V value) {
    return new Append<>(key, value);
  }

  /**
   * Reads the whole list of {@code key}; answered with {@link Response#value} of a {@link List},
   * empty if nothing was appended yet.
   */
  static <K, V> ListAppendOp<K, V> read(K key) {
    return new Read<>(key);
  }

  /**
   * An append to one key's list.
   *
   * @param key the key
   * @param value the element appended
   * @param <K> the key type
   * @param <V> the element type
   */
  record Append<K, V>(K key, V value) implements ListAppendOp<K, V> {
    @Override
    public String toString() {
      return "append(" + key + ", " + value + ")";
    }
  }

  /**
   * A read of one key's whole list.
   *
   * @param key the key
   * @param <K> the key type
   * @param <V> the element type
   */
  record Read<K, V>(K key) implements ListAppendOp<K, V> {
    @Override
    public String toString() {
      return "read(" + key + ")";
    }
  }
}
