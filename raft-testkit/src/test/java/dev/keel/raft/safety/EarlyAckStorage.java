package dev.keel.raft.safety;

import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.RaftStorage;
import dev.keel.raft.persistence.RecoveredState;
import dev.keel.raft.persistence.StoredSnapshot;
import dev.keel.raft.persistence.TermAndVote;
import dev.keel.raft.testkit.PowerLossStorage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Deliberately broken: acknowledges every write at once, before its disk has synced it, as a
 * storage that skips fsync would. Only for the negative control showing that the power-loss tests
 * catch such a storage.
 */
final class EarlyAckStorage implements RaftStorage {

  private final PowerLossStorage disk;

  EarlyAckStorage(PowerLossStorage disk) {
    this.disk = disk;
  }

  PowerLossStorage disk() {
    return disk;
  }

  @Override
  public CompletionStage<RecoveredState> recover() {
    return disk.recover();
  }

  @Override
  public CompletionStage<Void> saveTermAndVote(TermAndVote termAndVote) {
    disk.saveTermAndVote(termAndVote); // the bug: the stage is dropped, the write acked now
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> appendEntries(List<LogEntry> entries) {
    disk.appendEntries(entries);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> saveSnapshot(StoredSnapshot snapshot, boolean keepLaterEntries) {
    disk.saveSnapshot(snapshot, keepLaterEntries);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void close() {
    disk.close();
  }
}
