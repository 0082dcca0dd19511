package dev.keel.raft.persistence.journal;

import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.StoredSnapshot;
import dev.keel.raft.persistence.TermAndVote;
import java.util.List;

/** One write the peer issued through {@link JournaledRaftStorage}. */
sealed interface StorageWrite {

  /** How many log entries the write carries; group commit bounds batches by this. */
  int entryCount();

  /** {@code saveTermAndVote}. */
  record SaveTermAndVote(TermAndVote termAndVote) implements StorageWrite {
    @Override
    public int entryCount() {
      return 0;
    }
  }

  /** {@code appendEntries}: replace the suffix from the first index, then append. */
  record Append(List<LogEntry> entries) implements StorageWrite {
    public Append {
      entries = List.copyOf(entries);
    }

    @Override
    public int entryCount() {
      return entries.size();
    }

    long firstIndex() {
      return entries.get(0).index();
    }
  }

  /** {@code saveSnapshot}. */
  record SaveSnapshot(StoredSnapshot snapshot, boolean keepLaterEntries) implements StorageWrite {
    @Override
    public int entryCount() {
      return 0;
    }
  }
}
