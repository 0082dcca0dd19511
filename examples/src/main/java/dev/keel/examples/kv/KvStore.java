package dev.keel.examples.kv;

import dev.keel.raft.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The replicated state of the KV store: a map from string keys to string values with get, put,
 * compare-and-set and delete. Deterministic, as a {@link StateMachine} must be: the same commands
 * in the same order leave every replica with the same map and the same results.
 *
 * <p>Its commands, query and result cross the wire and enter the durable log, so they are bound to
 * Keel's Kryo serializer and registered under fixed ids in the examples' {@code application.conf}.
 */
public final class KvStore implements StateMachine<KvStore.Command, KvStore.Get, KvStore.Result> {

  private final Map<String, String> values = new HashMap<>();

  /** A write: every command names the one key it changes. */
  public sealed interface Command permits Put, Delete, CompareAndSet {
    /** The key the command writes. */
    String key();
  }

  /**
   * Sets {@code key} to {@code value}.
   *
   * @param key the key
   * @param value the new value (may be empty)
   */
  public record Put(String key, String value) implements Command {}

  /**
   * Removes {@code key}; removing an absent key changes nothing and succeeds.
   *
   * @param key the key
   */
  public record Delete(String key) implements Command {}

  /**
   * Sets {@code key} to {@code value} only if its current value equals {@code expected}; an absent
   * key never matches.
   *
   * @param key the key
   * @param expected the value the key must hold
   * @param value the new value
   */
  public record CompareAndSet(String key, String expected, String value) implements Command {}

  /**
   * Reads one key.
   *
   * @param key the key
   */
  public record Get(String key) {}

  /**
   * The answer to every command and query.
   *
   * @param applied false only for a compare-and-set whose expected value did not match
   * @param value for a read, the value; for a write, the value before it; null if absent
   */
  public record Result(boolean applied, @Nullable String value) {}

  @Override
  public Result apply(Command command) {
    String current = values.get(command.key());
    if (command instanceof Put put) {
      values.put(put.key(), put.value());
      return new Result(true, current);
    }
    if (command instanceof Delete delete) {
      values.remove(delete.key());
      return new Result(true, current);
    }
    CompareAndSet cas = (CompareAndSet) command;
    if (!cas.expected().equals(current)) {
      return new Result(false, current);
    }
    values.put(cas.key(), cas.value());
    return new Result(true, current);
  }

  @Override
  public Result query(Get get) {
    return new Result(true, values.get(get.key()));
  }

  /** Writes the entries sorted by key, each string as its UTF-8 length and bytes. */
  @Override
  public void snapshot(OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    Map<String, String> sorted = new TreeMap<>(values);
    data.writeInt(sorted.size());
    for (Map.Entry<String, String> entry : sorted.entrySet()) {
      writeString(data, entry.getKey());
      writeString(data, entry.getValue());
    }
    data.flush();
  }

  @Override
  public void restore(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    Map<String, String> restored = new HashMap<>();
    int count = data.readInt();
    for (int i = 0; i < count; i++) {
      restored.put(readString(data), readString(data));
    }
    values.clear();
    values.putAll(restored);
  }

  private static void writeString(DataOutputStream data, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    data.writeInt(bytes.length);
    data.write(bytes);
  }

  private static String readString(DataInputStream data) throws IOException {
    int length = data.readInt();
    if (length < 0) {
      throw new IOException("corrupt KV snapshot: negative string length " + length);
    }
    byte[] bytes = data.readNBytes(length);
    if (bytes.length != length) {
      throw new IOException("corrupt KV snapshot: a string ends early");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
