package dev.keel.raft.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RaftStorage} that keeps everything on the heap: fast, and durable exactly as long as the
 * object lives. Tests simulate a crash by stopping a peer and starting a new one on the same
 * instance. Thread-safe.
 */
public final class InMemoryRaftStorage implements RaftStorage {

  private TermAndVote termAndVote = TermAndVote.INITIAL;
  private @Nullable StoredSnapshot snapshot;
  // Invariant: entries.get(i).index() == firstIndex() + i.
  private final List<LogEntry> entries = new ArrayList<>();

  private long firstIndex() {
    return snapshot == null ? 1 : snapshot.metadata().lastIncludedIndex() + 1;
  }

  @Override
  public synchronized CompletionStage<RecoveredState> recover() {
    return CompletableFuture.completedFuture(new RecoveredState(termAndVote, entries, snapshot));
  }

  @Override
  public synchronized CompletionStage<Void> saveTermAndVote(TermAndVote newState) {
    if (newState.term() < termAndVote.term()) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "term must not decrease: " + termAndVote.term() + " -> " + newState.term()));
    }
    termAndVote = newState;
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletionStage<Void> appendEntries(List<LogEntry> newEntries) {
    if (newEntries.isEmpty()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("no entries"));
    }
    long first = newEntries.get(0).index();
    long base = firstIndex();
    if (first < base || first > base + entries.size()) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "first new index "
                  + first
                  + " outside stored "
                  + base
                  + ".."
                  + (base + entries.size())));
    }
    entries.subList((int) (first - base), entries.size()).clear();
    long expected = first;
    for (LogEntry entry : newEntries) {
      if (entry.index() != expected++) {
        return CompletableFuture.failedFuture(
            new IllegalArgumentException("entries are not consecutive at " + entry.index()));
      }
      entries.add(entry);
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletionStage<Void> saveSnapshot(
      StoredSnapshot newSnapshot, boolean keepLaterEntries) {
    long index = newSnapshot.metadata().lastIncludedIndex();
    if (snapshot != null && index <= snapshot.metadata().lastIncludedIndex()) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "snapshot at " + index + " is not newer than " + snapshot.metadata()));
    }
    long base = firstIndex();
    if (keepLaterEntries) {
      int covered = (int) Math.min(entries.size(), Math.max(0, index - base + 1));
      entries.subList(0, covered).clear();
    } else {
      entries.clear();
    }
    snapshot = newSnapshot;
    return CompletableFuture.completedFuture(null);
  }

  /** The durable term and vote, for tests. */
  public synchronized TermAndVote termAndVote() {
    return termAndVote;
  }

  /** A copy of the durable log after the snapshot, for tests. */
  public synchronized List<LogEntry> entries() {
    return List.copyOf(entries);
  }

  /** The durable snapshot, or null, for tests. */
  public synchronized @Nullable StoredSnapshot snapshot() {
    return snapshot;
  }

  @Override
  public void close() {
    // Nothing to release: the state must outlive the peer to model durable storage.
  }
}
