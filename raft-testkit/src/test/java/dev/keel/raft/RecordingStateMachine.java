package dev.keel.raft;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A state machine for tests that records every command it applies, in order, so tests can compare
 * what each replica applied. A write answers the history so far (ending with that write), and the
 * query {@link Query#HISTORY} answers the whole history.
 *
 * <p>It can refuse one command: {@link #rejecting(String)} makes {@code apply} throw for it,
 * leaving the history unchanged, as the {@link StateMachine} contract asks.
 */
public final class RecordingStateMachine
    implements StateMachine<String, RecordingStateMachine.Query, List<String>> {

  /** The only query. */
  public enum Query {
    /** Every command applied so far, in the order applied. */
    HISTORY
  }

  private final Optional<String> poison;
  private final List<String> history = new ArrayList<>();

  private RecordingStateMachine(Optional<String> poison) {
    this.poison = poison;
  }

  /** A recorder that applies every command. */
  public static RecordingStateMachine create() {
    return new RecordingStateMachine(Optional.empty());
  }

  /** A recorder whose {@code apply} throws for {@code poison} and applies everything else. */
  public static RecordingStateMachine rejecting(String poison) {
    return new RecordingStateMachine(Optional.of(poison));
  }

  @Override
  public List<String> apply(String command) {
    if (poison.isPresent() && poison.get().equals(command)) {
      throw new IllegalArgumentException("refusing " + command);
    }
    history.add(command);
    return List.copyOf(history);
  }

  @Override
  public List<String> query(Query query) {
    return List.copyOf(history);
  }

  @Override
  public void snapshot(OutputStream out) throws IOException {
    StringListSnapshots.write(out, history);
  }

  @Override
  public void restore(InputStream in) throws IOException {
    history.clear();
    history.addAll(StringListSnapshots.read(in));
  }
}
