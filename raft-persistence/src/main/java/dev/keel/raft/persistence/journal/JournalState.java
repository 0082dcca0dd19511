package dev.keel.raft.persistence.journal;

import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.RecoveredState;
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
  // Invariant while recovering: entries.get(i).index() == i + 1 and entries.size() == lastIndex.
  private @Nullable ArrayList<LogEntry> entries = new ArrayList<>();
  private long lastIndex;

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
    List<LogEntry> log = entries;
    if (log != null) {
      log.subList(Math.toIntExact(first - 1), log.size()).clear();
      log.addAll(event.entries());
    }
    lastIndex = event.lastIndex();
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
    return new RecoveredState(termAndVote, log);
  }
}
