package dev.keel.raft.testkit.linearizability;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The verdict of a {@link LinearizabilityChecker}: linearizable, not linearizable (with a {@link
 * Violation} and a readable explanation), or unknown because the search ran out of budget.
 *
 * <p>In a test: {@code assertThat(result.linearizable()).as(result.explanation()).isTrue()}.
 */
public final class CheckResult {

  /** What the check decided. */
  public enum Outcome {
    /** Some order of the operations, consistent with real time, explains every result. */
    LINEARIZABLE,
    /** No such order exists. */
    NOT_LINEARIZABLE,
    /** The search ran out of time or memory before deciding. */
    UNKNOWN
  }

  private final Outcome outcome;
  private final String explanation;
  private final @Nullable Violation violation;
  private final Duration elapsed;

  CheckResult(
      Outcome outcome, String explanation, @Nullable Violation violation, Duration elapsed) {
    this.outcome = outcome;
    this.explanation = explanation;
    this.violation = violation;
    this.elapsed = elapsed;
  }

  /** What the check decided. */
  public Outcome outcome() {
    return outcome;
  }

  /** Whether the history is linearizable; false both when it is not and when it is unknown. */
  public boolean linearizable() {
    return outcome == Outcome.LINEARIZABLE;
  }

  /**
   * A readable account of the verdict: for a violation, the longest linearizable prefix found, the
   * operation that could not be linearized after it and the operations concurrent with it, with
   * clients, times relative to the history's start, inputs and outputs.
   */
  public String explanation() {
    return explanation;
  }

  /** The violation, when the outcome is {@link Outcome#NOT_LINEARIZABLE}. */
  public Optional<Violation> violation() {
    return Optional.ofNullable(violation);
  }

  /** How long the check took. */
  public Duration elapsed() {
    return elapsed;
  }

  @Override
  public String toString() {
    return explanation;
  }
}
