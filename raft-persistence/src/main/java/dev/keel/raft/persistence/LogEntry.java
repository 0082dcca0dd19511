package dev.keel.raft.persistence;

import java.util.Objects;

/**
 * One entry of the replicated log. Immutable, so it can be shared between the peer, its replicators
 * and the journal without copying.
 *
 * @param index position in the log, starting at 1
 * @param term the leader's term when the entry was created
 * @param payload what the entry carries
 */
public record LogEntry(long index, long term, EntryPayload payload) {

  /** Validates the entry. */
  public LogEntry {
    if (index < 1) {
      throw new IllegalArgumentException("index must be >= 1, was " + index);
    }
    if (term < 1) {
      throw new IllegalArgumentException("term must be >= 1, was " + term);
    }
    Objects.requireNonNull(payload, "payload");
  }

  /** Whether this is a leader's no-op entry. */
  public boolean isNoOp() {
    return payload instanceof EntryPayload.NoOp;
  }
}
