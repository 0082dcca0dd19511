package dev.keel.raft.persistence.journal;

import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.TermAndVote;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Pure rules of the write path: which writes are valid given what was issued before, and how a
 * batch of writes becomes the events of one atomic journal write. No actors, no I/O.
 */
final class WriteBatches {

  private WriteBatches() {}

  /**
   * The events recording {@code writes} applied in order: at most one {@code TermAndVoteChanged}
   * (the last term and vote; term/vote and log are independent state) and at most one {@code
   * EntriesAppended} (all appends merged: each later append cuts the merged list at its first
   * index, or replaces it whole if it starts at or before the merged first index).
   *
   * @param writes valid writes in issue order, not empty
   * @return the events, to be persisted as one atomic write
   */
  static List<JournalEvent> toEvents(List<StorageWrite> writes) {
    TermAndVote termAndVote = null;
    List<JournalEvent> logEvents = new ArrayList<>(2);
    List<LogEntry> merged = null;
    for (StorageWrite write : writes) {
      if (write instanceof StorageWrite.SaveTermAndVote save) {
        termAndVote = save.termAndVote();
      } else if (write instanceof StorageWrite.Append append) {
        merged = merge(merged, append);
      } else if (write instanceof StorageWrite.SaveSnapshot snapshot) {
        // A snapshot cuts the log: appends before and after it cannot merge across it.
        if (merged != null) {
          logEvents.add(new JournalEvent.EntriesAppended(merged));
          merged = null;
        }
        logEvents.add(
            new JournalEvent.SnapshotSaved(snapshot.snapshot(), snapshot.keepLaterEntries()));
      }
    }
    if (merged != null) {
      logEvents.add(new JournalEvent.EntriesAppended(merged));
    }
    List<JournalEvent> events = new ArrayList<>(logEvents.size() + 1);
    if (termAndVote != null) {
      events.add(JournalEvent.TermAndVoteChanged.of(termAndVote));
    }
    events.addAll(logEvents);
    return events;
  }

  private static List<LogEntry> merge(@Nullable List<LogEntry> merged, StorageWrite.Append append) {
    if (merged == null) {
      return new ArrayList<>(append.entries()); // mutable: later appends cut and extend it
    }
    long mergedFirst = merged.get(0).index();
    long cut = Math.max(0, append.firstIndex() - mergedFirst);
    merged.subList(Math.toIntExact(cut), merged.size()).clear();
    merged.addAll(append.entries());
    return merged;
  }

  /**
   * The term and last log index after every write issued so far: what the next write is checked
   * against, before it is queued. Mirrors {@code InMemoryRaftStorage}'s checks.
   */
  static final class Issued {
    private long term;
    private long lastIndex;
    private long snapshotIndex;

    Issued(long term, long lastIndex, long snapshotIndex) {
      this.term = term;
      this.lastIndex = lastIndex;
      this.snapshotIndex = snapshotIndex;
    }

    /** Why {@code write} is invalid now, or null if it is valid. */
    @Nullable String refusal(StorageWrite write) {
      if (write instanceof StorageWrite.SaveTermAndVote save) {
        long newTerm = save.termAndVote().term();
        return newTerm < term ? "term must not decrease: " + term + " -> " + newTerm : null;
      }
      if (write instanceof StorageWrite.SaveSnapshot snapshot) {
        long index = snapshot.snapshot().metadata().lastIncludedIndex();
        return index <= snapshotIndex
            ? "snapshot at " + index + " is not newer than the one at " + snapshotIndex
            : null;
      }
      StorageWrite.Append append = (StorageWrite.Append) write;
      if (append.entries().isEmpty()) {
        return "no entries";
      }
      long first = append.firstIndex();
      if (first > lastIndex + 1) {
        return "gap: first new index " + first + ", last stored " + lastIndex;
      }
      if (first <= snapshotIndex) {
        return "first new index " + first + " is covered by the snapshot at " + snapshotIndex;
      }
      long expected = first;
      for (LogEntry entry : append.entries()) {
        if (entry.index() != expected++) {
          return "entries are not consecutive at " + entry.index();
        }
      }
      return null;
    }

    /** Records a valid write as issued. */
    void accept(StorageWrite write) {
      if (write instanceof StorageWrite.SaveTermAndVote save) {
        term = save.termAndVote().term();
      } else if (write instanceof StorageWrite.SaveSnapshot snapshot) {
        long index = snapshot.snapshot().metadata().lastIncludedIndex();
        snapshotIndex = index;
        lastIndex = snapshot.keepLaterEntries() ? Math.max(lastIndex, index) : index;
      } else {
        List<LogEntry> entries = ((StorageWrite.Append) write).entries();
        lastIndex = entries.get(entries.size() - 1).index();
      }
    }
  }
}
