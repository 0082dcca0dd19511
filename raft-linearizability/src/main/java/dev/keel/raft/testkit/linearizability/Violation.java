package dev.keel.raft.testkit.linearizability;

import java.util.List;

/**
 * The window onto a violation: where the deepest search got stuck in the part of the history that
 * cannot be linearized.
 *
 * @param part the label of that part, e.g. {@code key=x}
 * @param partSize the number of operations in the part
 * @param longestPrefix the length of the longest linearizable prefix found
 * @param blocked the operation that had returned but could not be linearized after that prefix:
 *     usually the read or the compare-and-set whose result nothing explains
 * @param pending the operations invoked but not yet linearized when {@code blocked} returned,
 *     {@code blocked} among them: those the search tried, in every order, to place next
 */
public record Violation(
    String part,
    int partSize,
    int longestPrefix,
    Operation<?, ?> blocked,
    List<Operation<?, ?>> pending) {

  /** Copies {@code pending}. */
  public Violation {
    pending = List.copyOf(pending);
  }
}
