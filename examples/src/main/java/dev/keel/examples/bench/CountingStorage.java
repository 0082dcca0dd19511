package dev.keel.examples.bench;

import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.RaftStorage;
import dev.keel.raft.persistence.RecoveredState;
import dev.keel.raft.persistence.StoredSnapshot;
import dev.keel.raft.persistence.TermAndVote;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link RaftStorage} that counts the log entries its peer hands to storage, and otherwise passes
 * every call and every completion stage through unchanged (so a write is still acknowledged only
 * when the wrapped storage says it is durable).
 */
final class CountingStorage implements RaftStorage {

  private final RaftStorage delegate;
  private final AtomicLong entriesAppended = new AtomicLong();

  CountingStorage(RaftStorage delegate) {
    this.delegate = delegate;
  }

  /** Log entries handed to {@link #appendEntries} so far (re-appended entries count again). */
  long entriesAppended() {
    return entriesAppended.get();
  }

  @Override
  public CompletionStage<RecoveredState> recover() {
    return delegate.recover();
  }

  @Override
  public CompletionStage<Void> saveTermAndVote(TermAndVote termAndVote) {
    return delegate.saveTermAndVote(termAndVote);
  }

  @Override
  public CompletionStage<Void> appendEntries(List<LogEntry> entries) {
    entriesAppended.addAndGet(entries.size());
    return delegate.appendEntries(entries);
  }

  @Override
  public CompletionStage<Void> saveSnapshot(StoredSnapshot snapshot, boolean keepLaterEntries) {
    return delegate.saveSnapshot(snapshot, keepLaterEntries);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
