package dev.keel.raft.persistence.journal;

import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.RecoveredState;
import dev.keel.raft.persistence.StoredSnapshot;
import dev.keel.raft.persistence.TermAndVote;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The journal actor's state. Mutable on purpose: replaying a long log must append to one list, not
 * copy it per event. Only the actor's event handler touches it.
 *
 * <p>The entries are kept only until recovery completes; {@link #takeRecovered()} hands them to the
 * peer (which keeps the log in memory itself) and from then on only the last index is tracked.
 */
final class JournalState {

  private final String persistenceId;
  private TermAndVote termAndVote = TermAndVote.INITIAL;
  // Invariant while recovering: entries.get(i).index() == snapshotIndex() + 1 + i, and the last
  // entry's index is lastIndex (or lastIndex == snapshotIndex() with no entries).
  private @Nullable ArrayList<LogEntry> entries = new ArrayList<>();
  private long lastIndex;
  private @Nullable StoredSnapshot snapshot;

  private long snapshotIndex() {
    StoredSnapshot current = snapshot;
    return current == null ? 0 : current.metadata().lastIncludedIndex();
  }

  JournalState(String persistenceId) {
    this.persistenceId = persistenceId;
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
    List<LogEntry> log = entries;
    if (log != null) {
      log.subList(Math.toIntExact(first - 1 - snapshotIndex()), log.size()).clear();
      log.addAll(event.entries());
    }
    lastIndex = event.lastIndex();
    return this;
  }

  JournalState apply(JournalEvent.SnapshotSaved event) {
    long index = event.snapshot().metadata().lastIncludedIndex();
    List<LogEntry> log = entries;
    if (log != null) {
      if (event.keepLaterEntries()) {
        int covered = (int) Math.min(log.size(), Math.max(0, index - snapshotIndex()));
        log.subList(0, covered).clear();
      } else {
        log.clear();
      }
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

  /** The replayed state; afterwards the entries are no longer kept. */
  RecoveredState takeRecovered() {
    List<LogEntry> log = entries;
    if (log == null) {
      throw new IllegalStateException(persistenceId + ": recovered state already taken");
    }
    entries = null;
    RecoveredState recovered = new RecoveredState(termAndVote, log, snapshot);
    snapshot = null; // the peer keeps it; this actor no longer needs the bytes
    return recovered;
  }
}
