package dev.keel.raft.testkit.linearizability;

/**
 * An operation on one key of a key-value map: the input type of {@link KvModel}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public sealed interface KvOp<K, V> {

  /** The key this operation reads or changes; operations on different keys never interact. */
  K key();

  /** Reads {@code key}; answered with {@link Response#value} or {@link Response#absent}. */
  static <K, V> KvOp<K, V> get(K key) {
    return new Get<>(key);
  }

  /** Sets {@code key} to {@code value}; answered with {@link Response#ack}. */
  static <K, V> KvOp<K, V> put(K key, V value) {
    return new Put<>(key, value);
  }

  /**
   * Sets {@code key} to {@code update} if it holds {@code expected}; answered with {@link
   * Response#ack} if it did, {@link Response#rejected} if it held something else or nothing.
   */
  static <K, V> KvOp<K, V> cas(K key, V expected, V update) {
    return new CompareAndSet<>(key, expected, update);
  }

  /** Removes {@code key}; answered with {@link Response#ack}. */
  static <K, V> KvOp<K, V> delete(K key) {
    return new Delete<>(key);
  }

  /**
   * A read of one key.
   *
   * @param key the key read
   * @param <K> the key type
   * @param <V> the value type
   */
  record Get<K, V>(K key) implements KvOp<K, V> {
    @Override
    public String toString() {
      return "get(" + key + ")";
    }
  }

  /**
   * A write of one key.
   *
   * @param key the key written
   * @param value the value written
   * @param <K> the key type
   * @param <V> the value type
   */
  record Put<K, V>(K key, V value) implements KvOp<K, V> {
    @Override
    public String toString() {
      return "put(" + key + ", " + value + ")";
    }
  }

  /**
   * A compare-and-set of one key.
   *
   * @param key the key
   * @param expected the value the key must hold for the update to happen
   * @param update the value written if it does
   * @param <K> the key type
   * @param <V> the value type
   */
  record CompareAndSet<K, V>(K key, V expected, V update) implements KvOp<K, V> {
    @Override
    public String toString() {
      return "cas(" + key + ", " + expected + ", " + update + ")";
    }
  }

  /**
   * A removal of one key.
   *
   * @param key the key removed
   * @param <K> the key type
   * @param <V> the value type
   */
  record Delete<K, V>(K key) implements KvOp<K, V> {
    @Override
    public String toString() {
      return "delete(" + key + ")";
    }
  }
}
