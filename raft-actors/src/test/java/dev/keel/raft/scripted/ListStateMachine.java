package dev.keel.raft.scripted;

import dev.keel.raft.ApplyOutcome;
import dev.keel.raft.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The scripted tests' state machine: a list that every command (a string) is appended to, so a
 * command applied twice or out of order shows. Any query returns the list. A {@link Fault} makes it
 * misbehave the way a user's state machine can.
 */
class ListStateMachine implements StateMachine<String, String, Object> {

  /** How this instance misbehaves. */
  enum Fault {
    NONE,
    /** {@code snapshot} throws. */
    SNAPSHOT_FAILS,
    /** {@code applyBatch} returns one outcome too few (a broken override). */
    WRONG_BATCH_SIZE,
    /** {@code apply} of the command "boom" throws an {@link Error}, not an exception. */
    ERROR_ON_BOOM,
    /** {@code restore} cannot read any snapshot. */
    RESTORE_FAILS
  }

  private final Fault fault;
  private final List<String> applied = new ArrayList<>();

  ListStateMachine() {
    this(Fault.NONE);
  }

  ListStateMachine(Fault fault) {
    this.fault = fault;
  }

  @Override
  public Object apply(String command) {
    if (fault == Fault.ERROR_ON_BOOM && command.equals("boom")) {
      throw new AssertionError("scripted error escaping the state machine");
    }
    if (command.startsWith("reject")) {
      throw new IllegalArgumentException("refused " + command);
    }
    applied.add(command);
    return applied.size();
  }

  @Override
  public List<ApplyOutcome<Object>> applyBatch(List<String> commands) {
    List<ApplyOutcome<Object>> outcomes = StateMachine.super.applyBatch(commands);
    if (fault == Fault.WRONG_BATCH_SIZE) {
      return outcomes.subList(0, outcomes.size() - 1);
    }
    return outcomes;
  }

  @Override
  public Object query(String query) {
    if (query.startsWith("reject")) {
      throw new IllegalArgumentException("refused query " + query);
    }
    return List.copyOf(applied);
  }

  @Override
  public void snapshot(OutputStream out) throws IOException {
    if (fault == Fault.SNAPSHOT_FAILS) {
      throw new IOException("scripted snapshot failure");
    }
    DataOutputStream data = new DataOutputStream(out);
    data.writeInt(applied.size());
    for (String command : applied) {
      data.writeUTF(command);
    }
    data.flush();
  }

  @Override
  public void restore(InputStream in) throws IOException {
    if (fault == Fault.RESTORE_FAILS) {
      throw new IOException("scripted restore failure");
    }
    DataInputStream data = new DataInputStream(in);
    int size = data.readInt();
    applied.clear();
    for (int i = 0; i < size; i++) {
      applied.add(data.readUTF());
    }
  }

  /** The bytes {@link #snapshot} writes for a list holding {@code commands}. */
  static byte[] snapshotOf(String... commands) {
    ListStateMachine machine = new ListStateMachine();
    for (String command : commands) {
      machine.apply(command);
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      machine.snapshot(out);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }
}
