package dev.keel.raft.rules;

import java.util.Arrays;

/**
 * A follower's reassembly of a snapshot arriving in chunks (§7). Chunks must come in order; a chunk
 * at an unexpected offset is refused and the answer names the offset wanted, so a lost or
 * duplicated chunk is resent rather than corrupting the snapshot. A chunk of another snapshot (a
 * new leader, a newer snapshot) at offset 0 starts over.
 */
public final class SnapshotAssembly {

  private long lastIncludedIndex = -1;
  private long lastIncludedTerm = -1;
  private byte[] buffer = new byte[0];
  private int length;

  /**
   * Offers one chunk.
   *
   * @return the offset wanted next: the received length, after this chunk if it fit
   */
  public long offer(long index, long term, long offset, byte[] data) {
    boolean sameSnapshot = index == lastIncludedIndex && term == lastIncludedTerm;
    if (offset == 0 && !sameSnapshot) {
      lastIncludedIndex = index;
      lastIncludedTerm = term;
      length = 0;
    }
    boolean fits = index == lastIncludedIndex && term == lastIncludedTerm && offset == length;
    if (fits) {
      if (length + data.length > buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + data.length));
      }
      System.arraycopy(data, 0, buffer, length, data.length);
      length += data.length;
    }
    return index == lastIncludedIndex && term == lastIncludedTerm ? length : 0;
  }

  /** The whole snapshot, once the last chunk fit; clears the assembly. */
  public byte[] complete() {
    byte[] bytes = Arrays.copyOf(buffer, length);
    buffer = new byte[0];
    length = 0;
    lastIncludedIndex = -1;
    lastIncludedTerm = -1;
    return bytes;
  }
}
