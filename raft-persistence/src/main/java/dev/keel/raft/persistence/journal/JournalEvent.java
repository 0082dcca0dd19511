package dev.keel.raft.persistence.journal;

import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.StoredSnapshot;
import dev.keel.raft.persistence.TermAndVote;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@link JournaledRaftStorage} writes to the journal: the changes of one peer's durable Raft
 * state, in the past tense. Replaying them in sequence-number order rebuilds term, vote and log.
 * Serialized by {@link JournalEventSerializer} (bound in {@code reference.conf}).
 *
 * <p>Raft log indexes are carried in the events and are unrelated to journal sequence numbers.
 *
 * <p>Events a Raft snapshot made redundant are deleted once a {@link JournalSnapshot} covering them
 * is saved (see {@link JournaledRaftStorage}).
 */
public sealed interface JournalEvent
    permits JournalEvent.TermAndVoteChanged,
        JournalEvent.EntriesAppended,
        JournalEvent.SnapshotSaved {

  /**
   * The peer's current term and vote changed (Figure 2: currentTerm, votedFor).
   *
   * @param term the new term, never lower than the previous one
   * @param votedFor the candidate voted for in {@code term}, or null
   */
  record TermAndVoteChanged(long term, @Nullable String votedFor) implements JournalEvent {

    /** Validates the term. */
    public TermAndVoteChanged {
      if (term < 0) {
        throw new IllegalArgumentException("term must be >= 0, was " + term);
      }
    }

    /** The event recording {@code termAndVote}. */
    public static TermAndVoteChanged of(TermAndVote termAndVote) {
      return new TermAndVoteChanged(termAndVote.term(), termAndVote.votedFor());
    }

    /** The state this event records. */
    public TermAndVote termAndVote() {
      return new TermAndVote(term, votedFor);
    }
  }

  /**
   * Entries were appended after removing every stored entry at or above the first new index (Raft's
   * truncation of a conflicting suffix, §5.3, and the append in one event).
   *
   * @param entries consecutive entries, not empty
   */
  record EntriesAppended(List<LogEntry> entries) implements JournalEvent {

    /** Copies the list and checks that it is non-empty with consecutive indexes. */
    public EntriesAppended {
      entries = List.copyOf(entries);
      if (entries.isEmpty()) {
        throw new IllegalArgumentException("no entries");
      }
      long expected = entries.get(0).index();
      for (LogEntry entry : entries) {
        if (entry.index() != expected++) {
          throw new IllegalArgumentException(
              "entries are not consecutive at index " + entry.index());
        }
      }
    }

    /** The index of the first entry: the stored log is cut here before the append. */
    public long firstIndex() {
      return entries.get(0).index();
    }

    /** The index of the last entry: the last index of the log afterwards. */
    public long lastIndex() {
      return entries.get(entries.size() - 1).index();
    }
  }

  /**
   * A snapshot of the state machine replaced the log up to its last included index (§7). Entries
   * after it stay when {@code keepLaterEntries}; otherwise the whole log goes.
   *
   * @param snapshot the snapshot, with its bytes
   * @param keepLaterEntries whether entries after the snapshot stay
   */
  record SnapshotSaved(StoredSnapshot snapshot, boolean keepLaterEntries) implements JournalEvent {}
}
