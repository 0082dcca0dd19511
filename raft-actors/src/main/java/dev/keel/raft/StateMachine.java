package dev.keel.raft;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The user's replicated state machine. Keel calls it from one actor at a time, never concurrently,
 * in log order on every replica.
 *
 * <p>It must be deterministic: the same commands in the same order give the same state and results
 * on every replica. An exception from {@link #apply} refuses that one command: the client gets
 * {@link RaftReply.Rejected}, and since every replica throws the same way, all agree. A command
 * that throws must leave the state as it was.
 *
 * <p>Anything else that escapes — an {@link Error} from {@code apply}, anything thrown by an
 * overridden {@link #applyBatch} (replicas group commands into batches differently, so a batch that
 * fails halfway cannot be made the same everywhere), a wrong number of outcomes, or a failure of
 * {@link #restore} — leaves the state undefined: the peer stops (see {@link RaftPeer.Stop}), the
 * clients of that batch's commands get {@link RaftReply.TimedOut}, and another peer leads.
 *
 * @param <C> command type; commands must be immutable
 * @param <Q> query type
 * @param <R> result type of commands and queries
 */
public interface StateMachine<C, Q, R> {

  /** Applies one committed command and returns its result. */
  R apply(C command) throws Exception;

  /**
   * Applies consecutive committed commands. The default applies them one by one; override it to
   * amortize work over a batch, keeping the per-command outcomes identical. It must not throw:
   * report a refused command as {@link ApplyOutcome.Failed}.
   *
   * @return one outcome per command, in order
   */
  default List<ApplyOutcome<R>> applyBatch(List<C> commands) {
    List<ApplyOutcome<R>> outcomes = new ArrayList<>(commands.size());
    for (C command : commands) {
      try {
        outcomes.add(new ApplyOutcome.Applied<>(apply(command)));
      } catch (Exception e) {
        outcomes.add(new ApplyOutcome.Failed<>(e.toString()));
      }
    }
    return outcomes;
  }

  /** Answers a read-only query; must not change the state. */
  R query(Q query) throws Exception;

  /** Writes the whole state to {@code out}, for log compaction and lagging followers. */
  void snapshot(OutputStream out) throws IOException;

  /** Replaces the whole state with one written by {@link #snapshot}. */
  void restore(InputStream in) throws IOException;
}
