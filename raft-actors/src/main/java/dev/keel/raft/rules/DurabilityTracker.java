package dev.keel.raft.rules;

import java.util.ArrayDeque;

/**
 * Tracks which prefix of the in-memory log is durable, given writes that complete in the order they
 * were issued while the log may be truncated between them.
 *
 * <p>A write issued before a truncation described entries that may no longer be in the log, so its
 * completion proves durable only what survived the truncation.
 */
public final class DurabilityTracker {

  private record Truncation(long writeSeq, long keptLastIndex) {}

  private long issuedSeq;
  private long durableIndex;
  // Truncations not yet followed by a completed later write, in seq order.
  private final ArrayDeque<Truncation> truncations = new ArrayDeque<>();
  // Writes not yet completed: {seq, last index once written}, in seq order.
  private final ArrayDeque<long[]> pendingLastIndex = new ArrayDeque<>();

  /** Starts tracking a log whose first {@code durableIndex} entries were recovered from disk. */
  public DurabilityTracker(long durableIndex) {
    this.durableIndex = durableIndex;
  }

  /** The highest index such that every entry up to it is durable. */
  public long durableIndex() {
    return durableIndex;
  }

  /**
   * Records a write issued now.
   *
   * @param lastIndexAfterWrite the log's last index once the write's entries are in it
   * @return the write's sequence number, to pass to {@link #completed}
   */
  public long issued(long lastIndexAfterWrite) {
    issuedSeq++;
    pendingLastIndex.addLast(new long[] {issuedSeq, lastIndexAfterWrite});
    return issuedSeq;
  }

  /** Records that the log was cut back to {@code keptLastIndex} before the next write. */
  public void truncated(long keptLastIndex) {
    durableIndex = Math.min(durableIndex, keptLastIndex);
    truncations.addLast(new Truncation(issuedSeq + 1, keptLastIndex));
  }

  /**
   * Records the completion of write {@code seq} and of every write before it.
   *
   * @return the new durable index
   */
  public long completed(long seq) {
    long lastIndex = -1;
    while (!pendingLastIndex.isEmpty() && pendingLastIndex.peekFirst()[0] <= seq) {
      lastIndex = pendingLastIndex.pollFirst()[1];
    }
    if (lastIndex < 0) {
      return durableIndex;
    }
    while (!truncations.isEmpty() && truncations.peekFirst().writeSeq() <= seq) {
      truncations.pollFirst();
    }
    // A truncation issued after this write caps what the write can prove.
    for (Truncation t : truncations) {
      lastIndex = Math.min(lastIndex, t.keptLastIndex());
    }
    durableIndex = Math.max(durableIndex, lastIndex);
    return durableIndex;
  }

  /**
   * Records that a durable snapshot now covers every entry up to {@code index}. Writes complete in
   * order, so everything issued before the snapshot is durable or replaced by it.
   */
  public void coveredBySnapshot(long index) {
    durableIndex = Math.max(durableIndex, index);
  }
}
