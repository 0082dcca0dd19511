package dev.keel.raft.safety;

import dev.keel.raft.StateMachine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Reports every applied command to an {@link ApplyRecorder}; queries return the count. */
final class RecordingStateMachine implements StateMachine<String, String, Integer> {

  private final ApplyRecorder recorder;
  private final String instance;
  private int applied;

  RecordingStateMachine(ApplyRecorder recorder, String instance) {
    this.recorder = recorder;
    this.instance = instance;
  }

  @Override
  public Integer apply(String command) {
    recorder.applied(instance, applied, command);
    return ++applied;
  }

  @Override
  public Integer query(String query) {
    return applied;
  }

  @Override
  public void snapshot(OutputStream out) throws IOException {
    throw new IOException("snapshots are not used in this test");
  }

  @Override
  public void restore(InputStream in) throws IOException {
    throw new IOException("snapshots are not used in this test");
  }
}
