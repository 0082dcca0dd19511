package dev.keel.raft.testkit.linearizability;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How much a check may spend: a wall-clock deadline shared by all parts, and an estimate of the
 * memory one part's memo may hold.
 */
final class Budget {

  private final Duration time;
  private final long deadlineNanos;
  private final long memoryBytes;

  Budget(Duration time, long memoryBytes) {
    this.time = time;
    this.deadlineNanos = System.nanoTime() + time.toNanos();
    this.memoryBytes = memoryBytes;
  }

  /** Why the search must stop now, or null if it may go on. */
  @Nullable String exceeded(Memo memo) {
    if (System.nanoTime() - deadlineNanos >= 0) {
      return "the time budget of " + TimeText.duration(time.toNanos()) + " ran out";
    }
    if (memo.bytes() >= memoryBytes) {
      return "the memo reached its memory budget of " + (memoryBytes >> 20) + " MiB";
    }
    return null;
  }
}
