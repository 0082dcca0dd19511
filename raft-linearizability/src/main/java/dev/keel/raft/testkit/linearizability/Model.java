package dev.keel.raft.testkit.linearizability;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A sequential specification: what one operation does to the state, and which outputs it may
 * produce from a given state. The checker searches for an order of the recorded operations under
 * which every {@link #step} succeeds.
 *
 * <p>States must be immutable values with {@code equals} and {@code hashCode}: the checker
 * remembers every (linearized set, state) pair it has explored and never explores one twice.
 *
 * <p>The checker searches the parts of a {@link #partition partitioned} history on several threads
 * at once, so a model's methods may be called concurrently: keep the model stateless, as the
 * built-in ones are, or make it thread-safe.
 *
 * @param <S> the state; an immutable value
 * @param <I> an operation's input, what the client asked
 * @param <O> an operation's output, what the client was told
 */
public interface Model<S, I, O> {

  /** The state before any operation has taken effect. */
  S init();

  /**
   * Applies one operation to {@code state}.
   *
   * @param output what the client was told, or {@code null} if the operation is indeterminate (it
   *     timed out): the step must then accept whichever output the operation would have produced
   * @return the state after the operation, or empty if the operation cannot have produced {@code
   *     output} from {@code state}
   */
  Optional<S> step(S state, I input, @Nullable O output);

  /**
   * Whether {@code input} never changes the state, like a read. The checker leaves out
   * indeterminate read-only operations before it partitions the history: nobody saw their result
   * and they changed nothing, so they can never constrain an order, only slow the search. The
   * default, false, keeps every operation.
   */
  default boolean isReadOnly(I input) {
    return false;
  }

  /**
   * Splits a history into independent parts checked separately (and concurrently), for example one
   * per key of a map whose keys never interact ({@link History#partitionBy} does that). A history
   * is linearizable if and only if every part is. Parts start from {@link #init()}. The default
   * keeps the history whole.
   */
  default List<History<I, O>> partition(History<I, O> history) {
    return List.of(history);
  }

  /** Describes one operation for a violation report, e.g. {@code put(x, 3) -> ok}. */
  default String describe(I input, @Nullable O output) {
    return input + " -> " + (output == null ? "? (indeterminate)" : output.toString());
  }

  /** Describes a state for a violation report. */
  default String describeState(S state) {
    return state.toString();
  }
}
