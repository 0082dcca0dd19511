package dev.keel.raft.testkit.linearizability;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The verdict of a {@link LinearizabilityChecker}: linearizable, not linearizable (with a {@link
 * Violation} and a readable explanation), or unknown because the search ran out of budget; and what
 * became of each part of the history ({@link #parts()}).
 *
 * <p>In a test: {@code assertThat(result.linearizable()).as(result.explanation()).isTrue()}.
 */
public final class CheckResult {

  /** What the check decided. */
  public enum Outcome {
    /** Some order of the operations, consistent with real time, explains every result. */
    LINEARIZABLE,
    /** No such order exists: at least one part is not linearizable, whatever the others are. */
    NOT_LINEARIZABLE,
    /** No part is known not linearizable, but some ran out of time or memory before deciding. */
    UNKNOWN
  }

  private final Outcome outcome;
  private final String explanation;
  private final @Nullable Violation violation;
  private final Duration elapsed;
  private final List<PartResult> parts;

  CheckResult(
      Outcome outcome,
      String explanation,
      @Nullable Violation violation,
      Duration elapsed,
      List<PartResult> parts) {
    this.outcome = outcome;
    this.explanation = explanation;
    this.violation = violation;
    this.elapsed = elapsed;
    this.parts = List.copyOf(parts);
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
   * clients, times relative to the history's start, inputs and outputs. Unless the history is
   * linearizable or has a single part, it ends with a count of the parts by status and names every
   * undecided part and why it is undecided.
   */
  public String explanation() {
    return explanation;
  }

  /**
   * The violation, when the outcome is {@link Outcome#NOT_LINEARIZABLE}: the first one found. With
   * several violating parts checked in parallel, which one is found first may vary between runs;
   * {@link #parts()} lists every one found.
   */
  public Optional<Violation> violation() {
    return Optional.ofNullable(violation);
  }

  /**
   * What the check found in each part of the history, in the order of the model's {@link
   * Model#partition partition}: decided linearizable, not linearizable, or undecided and why.
   */
  public List<PartResult> parts() {
    return parts;
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
