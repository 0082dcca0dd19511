/**
 * {@link dev.keel.raft.persistence.journal.JournaledRaftStorage}: a peer's term, vote and log kept
 * as the events of a Pekko Persistence event-sourced actor, with group commit.
 *
 * <p><b>Shape.</b> The storage object is what the peer calls. It validates each write, queues it,
 * and hands the journal actor ({@code PeerJournal}, one per peer incarnation, persistence id {@code
 * keel-raft|<group>|<node>}) one batch at a time: everything issued while the previous batch was
 * being written becomes the next single atomic journal write (one fsync with the RocksDB journal).
 * Pekko's command stash is never relied on: the actor never has more than one batch to persist.
 *
 * <p><b>Events</b> ({@link dev.keel.raft.persistence.journal.JournalEvent}): {@code
 * TermAndVoteChanged} and {@code EntriesAppended} (replace the stored suffix from the first entry's
 * index, then append). Raft log indexes are independent of journal sequence numbers: the journal
 * only ever deletes a prefix, so suffix truncation is part of the event. {@link
 * dev.keel.raft.persistence.journal.JournalEventSerializer} writes them in an explicit, versioned
 * binary format; user commands inside entries go through Pekko serialization.
 *
 * <p><b>Ordering and failure.</b> Stages complete in issue order, on one thread at a time. A failed
 * journal write, a rejected event, or the journal actor stopping fails the pending write and every
 * later one; the storage then refuses writes until {@code recover()} starts a new incarnation that
 * replays what the journal really holds.
 *
 * <p>Depends on Pekko Persistence (typed), Pekko serialization and the model in {@code
 * dev.keel.raft.persistence}; nothing in Keel above this module.
 */
@NullMarked
package dev.keel.raft.persistence.journal;

import org.jspecify.annotations.NullMarked;
