package dev.keel.raft.testkit.linearizability;

import org.jspecify.annotations.Nullable;

/**
 * One client operation in a history: what was asked, when, and what came back.
 *
 * <p>An indeterminate operation (a timeout: it may or may not have taken effect) has no output and
 * returns {@link #NEVER}, infinitely late: it is concurrent with everything invoked after it.
 *
 * @param id unique within the history; assigned in invocation order by the recorder
 * @param clientId the client that issued the operation
 * @param input what the client asked
 * @param output what the client was told; {@code null} exactly when indeterminate
 * @param invokeNanos when the client sent the request, on a monotonic clock
 * @param returnNanos when the client got the answer, or {@link #NEVER}
 * @param <I> the input type
 * @param <O> the output type
 */
public record Operation<I, O>(
    int id, int clientId, I input, @Nullable O output, long invokeNanos, long returnNanos) {

  /** The return time of an indeterminate operation. */
  public static final long NEVER = Long.MAX_VALUE;

  /**
   * Checks the invariants: {@code invokeNanos <= returnNanos}, and the output is absent exactly
   * when the operation never returned.
   */
  public Operation {
    if (returnNanos < invokeNanos) {
      throw new IllegalArgumentException(
          "operation "
              + id
              + " returns at "
              + returnNanos
              + " before its invocation at "
              + invokeNanos);
    }
    if ((output == null) != (returnNanos == NEVER)) {
      throw new IllegalArgumentException(
          "operation " + id + ": an output is present exactly when the operation returned");
    }
  }

  /** An operation that completed with {@code output}. */
  public static <I, O> Operation<I, O> completed(
      int id, int clientId, I input, O output, long invokeNanos, long returnNanos) {
    return new Operation<>(id, clientId, input, output, invokeNanos, returnNanos);
  }

  /**
   * An operation whose outcome is unknown: it may have taken effect at any time after invocation.
   */
  public static <I, O> Operation<I, O> indeterminate(
      int id, int clientId, I input, long invokeNanos) {
    return new Operation<>(id, clientId, input, null, invokeNanos, NEVER);
  }

  /** Whether the outcome is unknown (the client timed out or never heard back). */
  public boolean isIndeterminate() {
    return returnNanos == NEVER;
  }

  /** A copy with another output, e.g. to build a corrupted history in a test. */
  public Operation<I, O> withOutput(O newOutput) {
    return new Operation<>(id, clientId, input, newOutput, invokeNanos, returnNanos);
  }
}
