package dev.keel.raft.rules;

import java.util.Arrays;
import java.util.Objects;

/**
 * A follower's reassembly of a snapshot arriving in chunks (§7). Chunks must come in order; a chunk
 * at an unexpected offset is refused and the answer names the offset wanted, so a lost or
 * duplicated chunk is resent rather than corrupting the snapshot.
 *
 * <p>A transfer is identified by its sender and the sender's term as well as by the snapshot's last
 * included index and term: two leaders may each hold a snapshot at the same (index, term) whose
 * bytes differ (nothing requires a state machine to write identical snapshots), so chunks of
 * different transfers must never be stitched together. A first chunk (offset 0) of another transfer
 * starts over; a later chunk of another transfer is refused with offset 0.
 */
public final class SnapshotAssembly {

  /**
   * Who sends which snapshot.
   *
   * @param sender the leader sending it
   * @param senderTerm the leader's term
   * @param lastIncludedIndex the snapshot's last included index
   * @param lastIncludedTerm the term of that index
   */
  public record Transfer(
      String sender, long senderTerm, long lastIncludedIndex, long lastIncludedTerm) {
    /** Validates the transfer. */
    public Transfer {
      Objects.requireNonNull(sender, "sender");
    }
  }

  // Matches no real transfer: the state before the first chunk and after complete().
  private static final Transfer NONE = new Transfer("", -1, -1, -1);

  private Transfer current = NONE;
  private byte[] buffer = new byte[0];
  private int length;

  /**
   * Offers one chunk of {@code transfer}.
   *
   * @return the offset wanted next: the received length, after this chunk if it fit
   */
  public long offer(Transfer transfer, long offset, byte[] data) {
    if (!transfer.equals(current)) {
      if (offset != 0) {
        return 0;
      }
      current = transfer;
      length = 0;
    }
    if (offset == length) {
      if (length + data.length > buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + data.length));
      }
      System.arraycopy(data, 0, buffer, length, data.length);
      length += data.length;
    }
    return length;
  }

  /** The whole snapshot, once the last chunk fit; clears the assembly. */
  public byte[] complete() {
    byte[] bytes = Arrays.copyOf(buffer, length);
    buffer = new byte[0];
    length = 0;
    current = NONE;
    return bytes;
  }
}
