package dev.keel.raft.testkit.kv;

import org.jspecify.annotations.Nullable;

/** A write to the {@link KeyValueStateMachine}. */
public sealed interface KvCommand {

  /** The key it writes. */
  String key();

  /**
   * Sets {@code key} to {@code value}; the result carries the previous value.
   *
   * @param key the key
   * @param value the new value
   */
  record Put(String key, String value) implements KvCommand {}

  /**
   * Removes {@code key}; the result carries the previous value.
   *
   * @param key the key
   */
  record Delete(String key) implements KvCommand {}

  /**
   * Sets {@code key} to {@code value} if its current value equals {@code expected} (null: absent).
   *
   * @param key the key
   * @param expected the value it must have
   * @param value the new value
   */
  record CompareAndSet(String key, @Nullable String expected, String value) implements KvCommand {}
}
