package dev.keel.raft.persistence.journal;

import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.RecoveredState;
import dev.keel.raft.persistence.StoredSnapshot;
import dev.keel.raft.persistence.TermAndVote;
import java.util.ArrayList;
import org.jspecify.annotations.Nullable;

/**
 * The journal actor's state: term, vote, the latest Raft snapshot and the log after it. Mutable on
 * purpose: replaying a long log must append to one list, not copy it per event. Only the journal
 * actor touches it.
 *
 * <p>It keeps the log tail after recovery too, so that right after a Raft snapshot it can become a
 * {@link JournalSnapshot} and the events before it can be deleted. The entries are the same objects
 * the peer holds, so this costs a reference per entry, and the tail is cut at every Raft snapshot.
 */
final class JournalState {

  private final String persistenceId;
  private TermAndVote termAndVote = TermAndVote.INITIAL;
  // Invariant: entries.get(i).index() == snapshotIndex() + 1 + i, and lastIndex is the last entry's
  // index (or snapshotIndex() with no entries).
  private final ArrayList<LogEntry> entries = new ArrayList<>();
  private long lastIndex;
  private @Nullable StoredSnapshot snapshot;

  private long snapshotIndex() {
    StoredSnapshot current = snapshot;
    return current == null ? 0 : current.metadata().lastIncludedIndex();
  }

  JournalState(String persistenceId) {
    this.persistenceId = persistenceId;
  }

  /** The state a {@link JournalSnapshot} recorded. */
  static JournalState restore(String persistenceId, JournalSnapshot saved) {
    RecoveredState recovered = saved.state();
    JournalState state = new JournalState(persistenceId);
    state.termAndVote = recovered.termAndVote();
    state.snapshot = recovered.snapshot();
    state.entries.addAll(recovered.entries());
    state.lastIndex =
        state.entries.isEmpty()
            ? state.snapshotIndex()
            : state.entries.get(state.entries.size() - 1).index();
    return state;
  }

  JournalState apply(JournalEvent.TermAndVoteChanged event) {
    if (event.term() < termAndVote.term()) {
      throw new IllegalStateException(
          persistenceId
              + ": journal holds a term decrease "
              + termAndVote.term()
              + " -> "
              + event.term());
    }
    termAndVote = event.termAndVote();
    return this;
  }

  JournalState apply(JournalEvent.EntriesAppended event) {
    long first = event.firstIndex();
    if (first > lastIndex + 1) {
      throw new IllegalStateException(
          persistenceId
              + ": journal holds a log gap: entries from index "
              + first
              + " after last index "
              + lastIndex);
    }
    if (first <= snapshotIndex()) {
      throw new IllegalStateException(
          persistenceId
              + ": journal holds entries from index "
              + first
              + " inside the snapshot up to "
              + snapshotIndex());
    }
    entries.subList(Math.toIntExact(first - 1 - snapshotIndex()), entries.size()).clear();
    entries.addAll(event.entries());
    lastIndex = event.lastIndex();
    return this;
  }

  JournalState apply(JournalEvent.SnapshotSaved event) {
    long index = event.snapshot().metadata().lastIncludedIndex();
    if (event.keepLaterEntries()) {
      int covered = (int) Math.min(entries.size(), Math.max(0, index - snapshotIndex()));
      entries.subList(0, covered).clear();
    } else {
      entries.clear();
    }
    lastIndex = event.keepLaterEntries() ? Math.max(lastIndex, index) : index;
    snapshot = event.snapshot();
    return this;
  }

  TermAndVote termAndVote() {
    return termAndVote;
  }

  long lastIndex() {
    return lastIndex;
  }

  /** The state as the peer recovers it. */
  RecoveredState recovered() {
    return new RecoveredState(termAndVote, entries, snapshot);
  }

  /** A copy of everything recovery needs, to be saved as a Pekko snapshot. */
  JournalSnapshot toSnapshot() {
    return new JournalSnapshot(recovered());
  }
}
