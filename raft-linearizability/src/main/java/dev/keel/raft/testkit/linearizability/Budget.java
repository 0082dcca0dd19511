package dev.keel.raft.testkit.linearizability;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * What one check may spend, shared by the searches of all its parts: a wall-clock deadline for the
 * whole check, and a memory budget that the parts not yet decided share equally. A part's share
 * grows as other parts are decided and their memos are dropped.
 *
 * <p>Also carries the stop signal: once one part is found not linearizable, the others stop. Read
 * from the searching threads; every method is thread-safe.
 */
final class Budget {

  /** Why a search paused without a verdict. */
  enum Pause {
    /** Its time slice ended; it resumes later. */
    SLICE,
    /** Its memo reached its share of the memory budget; it resumes when the share grows. */
    MEMORY,
    /** The check's time budget ran out. */
    TIME,
    /** Another part was found not linearizable, which decides the check. */
    STOPPED
  }

  private final Duration time;
  private final long deadlineNanos;
  private final long memoryBytes;

  /** Invariant: the number of parts without a final result, at least 1 while any search runs. */
  private final AtomicInteger undecided;

  private volatile boolean stopped;

  Budget(Duration time, long memoryBytes, int parts) {
    this.time = time;
    this.deadlineNanos = System.nanoTime() + time.toNanos();
    this.memoryBytes = memoryBytes;
    this.undecided = new AtomicInteger(parts);
  }

  /**
   * Why the search owning {@code memo} must pause now, or null if it may go on.
   *
   * @param sliceEndNanos when its current time slice ends, on {@link System#nanoTime()}
   */
  @Nullable Pause exceeded(Memo memo, long sliceEndNanos) {
    Pause over = beforeStart();
    if (over != null) {
      return over;
    }
    if (memo.bytes() >= memoryShare()) {
      return Pause.MEMORY;
    }
    return System.nanoTime() - sliceEndNanos >= 0 ? Pause.SLICE : null;
  }

  /** {@link Pause#STOPPED} or {@link Pause#TIME} if no search should start now; else null. */
  @Nullable Pause beforeStart() {
    if (stopped) {
      return Pause.STOPPED;
    }
    return System.nanoTime() - deadlineNanos >= 0 ? Pause.TIME : null;
  }

  /** The memory one undecided part's memo may hold now. */
  long memoryShare() {
    return memoryBytes / Math.max(1, undecided.get());
  }

  /** Records that one more part has its final result, so the others' memory shares grow. */
  void partDecided() {
    undecided.decrementAndGet();
  }

  /** Tells every search to stop: the check is decided. */
  void stop() {
    stopped = true;
  }

  boolean stopped() {
    return stopped;
  }

  /** Describes a reason to give a part up, for reports. */
  String describe(Pause pause) {
    return switch (pause) {
      case TIME -> "the time budget of " + TimeText.duration(time.toNanos()) + " ran out";
      case MEMORY ->
          "the memo reached its share of the memory budget of " + (memoryBytes >> 20) + " MiB";
      case STOPPED -> "the search stopped once another part was found not linearizable";
      case SLICE -> "the search paused";
    };
  }
}
