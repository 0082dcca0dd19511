package dev.keel.raft.remote;

import dev.keel.raft.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Records every command in apply order; any query answers the whole list. Lets a test check that
 * every acknowledged write is on every replica, in the same order. Only JDK types cross the wire.
 */
final class AppendLog implements StateMachine<String, String, List<String>> {

  /** The query (any string does). */
  static final String ALL = "all";

  private final List<String> entries = new ArrayList<>();

  @Override
  public List<String> apply(String command) {
    entries.add(command);
    return List.of();
  }

  @Override
  public List<String> query(String query) {
    return List.copyOf(entries);
  }

  @Override
  public void snapshot(OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    data.writeInt(entries.size());
    for (String entry : entries) {
      data.writeUTF(entry);
    }
    data.flush();
  }

  @Override
  public void restore(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    entries.clear();
    for (int i = data.readInt(); i > 0; i--) {
      entries.add(data.readUTF());
    }
  }
}
