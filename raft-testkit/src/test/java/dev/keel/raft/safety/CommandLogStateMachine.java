package dev.keel.raft.safety;

import dev.keel.raft.StateMachine;
import dev.keel.raft.StringListSnapshots;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps every applied command in order and reports each to an {@link ApplyRecorder}. A write
 * answers its own command; a query answers the whole sequence, so one read shows whether an
 * acknowledged write survived.
 */
final class CommandLogStateMachine implements StateMachine<String, String, List<String>> {

  private final ApplyRecorder recorder;
  private final String instance;
  private final List<String> applied = new ArrayList<>();

  CommandLogStateMachine(ApplyRecorder recorder, String instance) {
    this.recorder = recorder;
    this.instance = instance;
  }

  @Override
  public List<String> apply(String command) {
    recorder.applied(instance, applied.size(), command);
    applied.add(command);
    return List.of(command);
  }

  @Override
  public List<String> query(String query) {
    return List.copyOf(applied);
  }

  @Override
  public void snapshot(OutputStream out) throws IOException {
    StringListSnapshots.write(out, applied);
  }

  @Override
  public void restore(InputStream in) throws IOException {
    applied.clear();
    applied.addAll(StringListSnapshots.read(in));
  }
}
