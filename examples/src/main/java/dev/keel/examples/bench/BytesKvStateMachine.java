package dev.keel.examples.bench;

import dev.keel.raft.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The benchmark workload's state machine: a map from long keys to byte values. A command is a byte
 * array whose first 8 bytes are the key and the rest the value; applying it returns the key. A
 * query is a key and returns the value's length, or -1.
 */
public final class BytesKvStateMachine implements StateMachine<byte[], Long, Long> {

  private final Map<Long, byte[]> entries = new HashMap<>();

  /**
   * A command putting a zero-filled value (the bytes after the key) under {@code key}.
   *
   * @param key the key
   * @param size the command's size in bytes, key included (at least 8)
   * @return the command
   */
  public static byte[] command(long key, int size) {
    ByteBuffer buffer = ByteBuffer.allocate(Math.max(size, Long.BYTES));
    buffer.putLong(key);
    return buffer.array();
  }

  @Override
  public Long apply(byte[] command) {
    long key = ByteBuffer.wrap(command).getLong();
    entries.put(key, command);
    return key;
  }

  @Override
  public Long query(Long key) {
    byte[] value = entries.get(key);
    return value == null ? -1L : (long) value.length;
  }

  @Override
  public void snapshot(OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    data.writeInt(entries.size());
    for (Map.Entry<Long, byte[]> entry : entries.entrySet()) {
      data.writeLong(entry.getKey());
      data.writeInt(entry.getValue().length);
      data.write(entry.getValue());
    }
    data.flush();
  }

  @Override
  public void restore(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    entries.clear();
    int count = data.readInt();
    for (int i = 0; i < count; i++) {
      long key = data.readLong();
      byte[] value = new byte[data.readInt()];
      data.readFully(value);
      entries.put(key, value);
    }
  }
}
