package dev.keel.raft.testkit.linearizability;

import org.jspecify.annotations.Nullable;

/**
 * The result of searching one part of a history.
 *
 * @param verdict what the search found
 * @param deepest for a violation, the deepest dead end; else null
 * @param abortReason for an aborted search, why it stopped; else null
 * @param configurations how many configurations the search entered
 * @param <S> the model's state type
 */
record PartitionOutcome<S>(
    Verdict verdict,
    @Nullable DeadEnd<S> deepest,
    @Nullable String abortReason,
    int configurations) {

  /** What the search of one part found. */
  enum Verdict {
    LINEARIZABLE,
    VIOLATION,
    ABORTED
  }
}
