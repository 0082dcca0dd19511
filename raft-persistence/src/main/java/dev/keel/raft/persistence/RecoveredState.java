package dev.keel.raft.persistence;

import java.util.List;

/**
 * What a peer finds in its storage when it starts.
 *
 * @param termAndVote the last durable term and vote
 * @param entries the durable log, in index order starting at index 1, without gaps
 */
public record RecoveredState(TermAndVote termAndVote, List<LogEntry> entries) {

  /** The state of a peer that has never run. */
  public static final RecoveredState EMPTY = new RecoveredState(TermAndVote.INITIAL, List.of());

  /** Copies the entry list so the record stays immutable. */
  public RecoveredState {
    entries = List.copyOf(entries);
  }
}
