package dev.keel.raft;

/**
 * The outcome of applying one command.
 *
 * @param <R> result type
 */
public sealed interface ApplyOutcome<R> permits ApplyOutcome.Applied, ApplyOutcome.Failed {

  /**
   * The command took effect.
   *
   * @param result what it returned
   */
  record Applied<R>(R result) implements ApplyOutcome<R> {}

  /**
   * The state machine refused the command; the state is unchanged.
   *
   * @param reason why
   */
  record Failed<R>(String reason) implements ApplyOutcome<R> {}
}
