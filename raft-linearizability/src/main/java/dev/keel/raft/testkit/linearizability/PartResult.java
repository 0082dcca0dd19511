package dev.keel.raft.testkit.linearizability;

import java.time.Duration;
import java.util.Optional;

/**
 * What a check found in one part of the history: one key, for a model checked key by key (see
 * {@link Model#partition}). Every part of a check has one, so a result says exactly what was and
 * was not decided.
 *
 * @param part the part's label, e.g. {@code key=x}
 * @param operations the operations in the part, after indeterminate reads were left out
 * @param status what the search of this part found, or why it has no verdict
 * @param configurations how many configurations its search entered; 0 if it never started
 * @param searchTime the time its search ran, summed over its slices
 * @param violation the violation, when {@code status} is {@link Status#NOT_LINEARIZABLE}
 */
public record PartResult(
    String part,
    int operations,
    Status status,
    long configurations,
    Duration searchTime,
    Optional<Violation> violation) {

  /** What the search of one part found, or why it has no verdict. */
  public enum Status {
    /** Some order of the part's operations, consistent with real time, explains every result. */
    LINEARIZABLE,
    /** No such order exists: the whole history is not linearizable. */
    NOT_LINEARIZABLE,
    /** Undecided: the check's time budget ran out first. */
    OUT_OF_TIME,
    /**
     * Undecided: its memo outgrew its share of the memory budget while no other part could free
     * any.
     */
    OUT_OF_MEMORY,
    /**
     * Undecided: another part was found not linearizable, which decides the check, so this one's
     * search stopped or never started.
     */
    STOPPED;

    /** Whether the part has a verdict. */
    public boolean decided() {
      return this == LINEARIZABLE || this == NOT_LINEARIZABLE;
    }
  }
}
