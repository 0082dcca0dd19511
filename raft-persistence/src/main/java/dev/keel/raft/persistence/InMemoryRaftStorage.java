package dev.keel.raft.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link RaftStorage} that keeps everything on the heap: fast, and durable exactly as long as the
 * object lives. Tests simulate a crash by stopping a peer and starting a new one on the same
 * instance. Thread-safe.
 */
public final class InMemoryRaftStorage implements RaftStorage {

  private TermAndVote termAndVote = TermAndVote.INITIAL;
  // Invariant: entries.get(i).index() == i + 1.
  private final List<LogEntry> entries = new ArrayList<>();

  @Override
  public synchronized CompletionStage<RecoveredState> recover() {
    return CompletableFuture.completedFuture(new RecoveredState(termAndVote, entries));
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
    if (first < 1 || first > entries.size() + 1) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "gap: first new index " + first + ", last stored " + entries.size()));
    }
    entries.subList((int) first - 1, entries.size()).clear();
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

  /** The durable term and vote, for tests. */
  public synchronized TermAndVote termAndVote() {
    return termAndVote;
  }

  /** A copy of the durable log, for tests. */
  public synchronized List<LogEntry> entries() {
    return List.copyOf(entries);
  }

  @Override
  public void close() {
    // Nothing to release: the state must outlive the peer to model durable storage.
  }
}
