package dev.keel.raft.persistence;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a peer finds in its storage when it starts.
 *
 * @param termAndVote the last durable term and vote
 * @param entries the durable log after the snapshot (from the snapshot's last included index + 1,
 *     or from 1 without a snapshot), in index order without gaps
 * @param snapshot the latest durable snapshot, or null
 */
public record RecoveredState(
    TermAndVote termAndVote, List<LogEntry> entries, @Nullable StoredSnapshot snapshot) {

  /** The state of a peer that has never run. */
  public static final RecoveredState EMPTY = new RecoveredState(TermAndVote.INITIAL, List.of());

  /** Copies the entry list so the record stays immutable, and checks it follows the snapshot. */
  public RecoveredState {
    entries = List.copyOf(entries);
    long expected = snapshot == null ? 1 : snapshot.metadata().lastIncludedIndex() + 1;
    if (!entries.isEmpty() && entries.get(0).index() != expected) {
      throw new IllegalArgumentException(
          "recovered log starts at " + entries.get(0).index() + ", expected " + expected);
    }
  }

  /** A recovered state without a snapshot. */
  public RecoveredState(TermAndVote termAndVote, List<LogEntry> entries) {
    this(termAndVote, entries, null);
  }
}
