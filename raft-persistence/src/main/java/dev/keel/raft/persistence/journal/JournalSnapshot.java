package dev.keel.raft.persistence.journal;

import dev.keel.raft.persistence.RecoveredState;

/**
 * A Pekko snapshot of a peer's journal actor: everything recovery needs from the events up to its
 * sequence number (term, vote, the latest Raft snapshot and the log after it), so those events can
 * be deleted. Taken right after a Raft snapshot was persisted, when the log tail after the Raft
 * snapshot is short. A type of its own so that Pekko binds it to {@link JournalEventSerializer}.
 *
 * @param state what the journal actor holds
 */
record JournalSnapshot(RecoveredState state) {}
