package dev.keel.raft.persistence.journal;

import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.StoredSnapshot;
import dev.keel.raft.persistence.TermAndVote;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A Pekko snapshot of a peer's journal actor: everything recovery needs from the events up to its
 * sequence number, so those events can be deleted. Taken right after a Raft snapshot was persisted,
 * when the log tail after the Raft snapshot is short. Serialized by {@link JournalEventSerializer}.
 *
 * @param termAndVote the durable term and vote
 * @param raftSnapshot the latest Raft snapshot, or null
 * @param entries the log after {@code raftSnapshot} (from its last included index + 1, or from 1),
 *     consecutive
 */
record JournalSnapshot(
    TermAndVote termAndVote, @Nullable StoredSnapshot raftSnapshot, List<LogEntry> entries) {

  /** Copies the entry list. */
  JournalSnapshot {
    entries = List.copyOf(entries);
  }
}
