package dev.keel.raft.testkit.kv;

/**
 * Reads one key of the {@link KeyValueStateMachine}.
 *
 * @param key the key
 */
public record KvQuery(String key) {}
