package dev.keel.raft.testkit.kv;

import org.jspecify.annotations.Nullable;

/**
 * What the {@link KeyValueStateMachine} answers.
 *
 * @param applied for a compare-and-set, whether it replaced the value; true otherwise
 * @param value for a read, the current value; for a write, the value before it; null if absent
 */
public record KvResult(boolean applied, @Nullable String value) {}
