package dev.keel.raft.testkit.linearizability;

/**
 * An operation in flight, returned by {@link HistoryRecorder#invoke}. Complete it exactly once,
 * with the outcome the client saw. An operation never completed is recorded as indeterminate.
 *
 * @param <O> the output type
 */
public interface OperationHandle<O> {

  /**
   * The operation returned {@code output}. Call it as soon as the answer arrives.
   *
   * @throws IllegalStateException if the operation was already completed
   */
  void ok(O output);

  /**
   * The operation definitely did not take effect, for example the node answered "not the leader" or
   * "no leader known" and never proposed it. It is left out of the history.
   *
   * @throws IllegalStateException if the operation was already completed
   */
  void fail();

  /**
   * The outcome is unknown, for example the request timed out after it may have been proposed. The
   * operation may take effect at any time after its invocation, or never.
   *
   * @throws IllegalStateException if the operation was already completed
   */
  void indeterminate();
}
