package dev.keel.raft.testkit.kv;

import dev.keel.raft.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A string key-value map with put, delete and compare-and-set: the state machine the testkit's
 * safety campaigns replicate, and a starting point for users' own.
 */
public final class KeyValueStateMachine implements StateMachine<KvCommand, KvQuery, KvResult> {

  private final Map<String, String> values = new HashMap<>();

  @Override
  public KvResult apply(KvCommand command) {
    String current = values.get(command.key());
    if (command instanceof KvCommand.Put put) {
      values.put(put.key(), put.value());
      return new KvResult(true, current);
    }
    if (command instanceof KvCommand.Delete delete) {
      values.remove(delete.key());
      return new KvResult(true, current);
    }
    KvCommand.CompareAndSet cas = (KvCommand.CompareAndSet) command;
    boolean matches = cas.expected() == null ? current == null : cas.expected().equals(current);
    if (matches) {
      values.put(cas.key(), cas.value());
    }
    return new KvResult(matches, current);
  }

  @Override
  public KvResult query(KvQuery query) {
    return new KvResult(true, values.get(query.key()));
  }

  /** A copy of the whole map, for tests that compare replicas. */
  public Map<String, String> contents() {
    return Map.copyOf(values);
  }

  @Override
  public void snapshot(OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    Map<String, String> sorted = new TreeMap<>(values);
    data.writeInt(sorted.size());
    for (Map.Entry<String, String> entry : sorted.entrySet()) {
      data.writeUTF(entry.getKey());
      data.writeUTF(entry.getValue());
    }
    data.flush();
  }

  @Override
  public void restore(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    values.clear();
    int count = data.readInt();
    for (int i = 0; i < count; i++) {
      values.put(data.readUTF(), data.readUTF());
    }
  }
}
