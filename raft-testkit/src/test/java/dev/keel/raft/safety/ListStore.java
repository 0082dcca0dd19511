package dev.keel.raft.safety;

import dev.keel.raft.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A store of append-only lists, one per key: the state machine of the list-append campaign. Every
 * append adds its value whatever it was before, so a command applied twice (a write retried after
 * an answer that wrongly said "not proposed") leaves its value twice in the list. Every applied
 * command is reported to an {@link ApplyRecorder}.
 */
final class ListStore implements StateMachine<ListStore.Append, ListStore.Read, List<String>> {

  /**
   * Appends {@code value} to the list of {@code key}; the result is the list after it.
   *
   * @param key the key
   * @param value the value, unique per write in the campaign
   */
  record Append(String key, String value) {}

  /**
   * Reads the list of {@code key}.
   *
   * @param key the key
   */
  record Read(String key) {}

  private final Map<String, List<String>> lists = new TreeMap<>();
  private final ApplyRecorder recorder;
  private final String instance;
  private int applied;

  ListStore(ApplyRecorder recorder, String instance) {
    this.recorder = recorder;
    this.instance = instance;
  }

  @Override
  public List<String> apply(Append command) {
    recorder.applied(instance, applied++, command.toString());
    List<String> list = lists.computeIfAbsent(command.key(), k -> new ArrayList<>());
    list.add(command.value());
    return List.copyOf(list);
  }

  @Override
  public List<String> query(Read query) {
    return List.copyOf(lists.getOrDefault(query.key(), List.of()));
  }

  @Override
  public void snapshot(OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    data.writeInt(applied);
    data.writeInt(lists.size());
    for (Map.Entry<String, List<String>> entry : lists.entrySet()) {
      data.writeUTF(entry.getKey());
      data.writeInt(entry.getValue().size());
      for (String value : entry.getValue()) {
        data.writeUTF(value);
      }
    }
    data.flush();
  }

  @Override
  public void restore(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    applied = data.readInt();
    lists.clear();
    int keys = data.readInt();
    for (int k = 0; k < keys; k++) {
      String key = data.readUTF();
      int size = data.readInt();
      List<String> list = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        list.add(data.readUTF());
      }
      lists.put(key, list);
    }
  }
}
