package dev.keel.raft.safety;

import dev.keel.raft.StateMachine;
import dev.keel.raft.testkit.kv.KeyValueStateMachine;
import dev.keel.raft.testkit.kv.KvCommand;
import dev.keel.raft.testkit.kv.KvQuery;
import dev.keel.raft.testkit.kv.KvResult;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** A key-value state machine that reports every applied command to an {@link ApplyRecorder}. */
final class RecordingKeyValueStateMachine implements StateMachine<KvCommand, KvQuery, KvResult> {

  private final KeyValueStateMachine delegate = new KeyValueStateMachine();
  private final ApplyRecorder recorder;
  private final String instance;
  private int applied;

  RecordingKeyValueStateMachine(ApplyRecorder recorder, String instance) {
    this.recorder = recorder;
    this.instance = instance;
  }

  @Override
  public KvResult apply(KvCommand command) {
    recorder.applied(instance, applied++, command.toString());
    return delegate.apply(command);
  }

  @Override
  public KvResult query(KvQuery query) {
    return delegate.query(query);
  }

  /** Writes the number of commands applied too, so a restored instance keeps its position. */
  @Override
  public void snapshot(OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    data.writeInt(applied);
    delegate.snapshot(data);
    data.flush();
  }

  @Override
  public void restore(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    applied = data.readInt();
    delegate.restore(data);
  }
}
