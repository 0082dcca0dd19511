package dev.keel.raft.testkit.linearizability;

import org.jspecify.annotations.Nullable;

/**
 * The result of one slice of the search of one part of a history.
 *
 * @param verdict what the search found
 * @param deepest for a violation, the deepest dead end; else null
 * @param pause for a paused search, why it paused; else null
 * @param configurations how many configurations the search has entered so far
 * @param memoBytes an estimate of the memory its memo holds
 * @param <S> the model's state type
 */
record PartitionOutcome<S>(
    Verdict verdict,
    @Nullable DeadEnd<S> deepest,
    Budget.@Nullable Pause pause,
    int configurations,
    long memoBytes) {

  /** What the search of one part found. */
  enum Verdict {
    LINEARIZABLE,
    VIOLATION,
    /** Not decided yet: see {@link #pause()}. */
    PAUSED
  }
}
