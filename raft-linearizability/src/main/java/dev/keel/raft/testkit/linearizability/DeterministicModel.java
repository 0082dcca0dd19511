package dev.keel.raft.testkit.linearizability;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Model} whose every operation has exactly one outcome from a given state, as most state
 * machines do: implement {@link #apply} and the step follows, handling indeterminate operations
 * correctly (one that timed out may have taken effect, with whatever output it would have had).
 *
 * <pre>{@code
 * final class CounterModel implements DeterministicModel<Long, Long, Long> {
 *   public Long init() { return 0L; }
 *   public Transition<Long, Long> apply(Long state, Long delta) {
 *     return new Transition<>(state + delta, state + delta); // the new state, and the answer
 *   }
 *   public boolean isReadOnly(Long delta) { return delta == 0; }
 * }
 * }</pre>
 *
 * @param <S> the state; an immutable value with {@code equals} and {@code hashCode}
 * @param <I> an operation's input
 * @param <O> an operation's output; compared with {@code equals}
 */
public interface DeterministicModel<S, I, O> extends Model<S, I, O> {

  /** What one operation does from {@code state}: the state after it, and its output. */
  Transition<S, O> apply(S state, I input);

  /**
   * The state {@link #apply} gives, if the client was told the output it gives, or nothing (the
   * operation is indeterminate); else empty.
   */
  @Override
  default Optional<S> step(S state, I input, @Nullable O output) {
    Transition<S, O> transition = apply(state, input);
    return output == null || output.equals(transition.output())
        ? Optional.of(transition.state())
        : Optional.empty();
  }

  /**
   * The effect of one operation.
   *
   * @param state the state after the operation
   * @param output what the operation answers
   * @param <S> the state type
   * @param <O> the output type
   */
  record Transition<S, O>(S state, O output) {}
}
