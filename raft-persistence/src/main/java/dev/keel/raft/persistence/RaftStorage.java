package dev.keel.raft.persistence;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The durable state of one Raft peer: term, vote and log.
 *
 * <p>Every write is asynchronous: it returns at once and its stage completes only when the data is
 * durable (for a disk-backed implementation: after fsync). This lets an implementation batch the
 * writes that accumulate while one is in flight (group commit).
 *
 * <p><b>Ordering contract:</b> writes become durable in the order they were issued, and their
 * stages complete in that order. A completed stage therefore also proves every earlier write
 * durable. A failed stage means the write, and every later one, may be lost; the peer stops
 * acknowledging anything after a failure.
 *
 * <p>One storage instance belongs to one peer. Calls come from that peer's actor only, but stages
 * may complete on any thread.
 */
public interface RaftStorage extends AutoCloseable {

  /**
   * Reads the durable state. Called once, before any write.
   *
   * @return the recovered state, or a failed stage naming what is unreadable
   */
  CompletionStage<RecoveredState> recover();

  /**
   * Durably records the current term and vote.
   *
   * @param termAndVote the new state; the term never decreases
   * @return completes when durable
   */
  CompletionStage<Void> saveTermAndVote(TermAndVote termAndVote);

  /**
   * Durably appends entries, first removing every stored entry whose index is at or above the first
   * new entry's index (Raft's truncation of a conflicting suffix, §5.3).
   *
   * @param entries consecutive entries, not empty; the first index is at most the stored last index
   *     + 1
   * @return completes when durable
   */
  CompletionStage<Void> appendEntries(List<LogEntry> entries);

  /**
   * Durably stores a snapshot of the state machine and discards the log entries it covers (§7).
   * Entries after the snapshot are kept if {@code keepLaterEntries}, else discarded too (a follower
   * installing a leader's snapshot that its log contradicts).
   *
   * @param snapshot the snapshot; newer than any stored one
   * @param keepLaterEntries whether entries after the snapshot's last included index stay
   * @return completes when the snapshot is durable
   */
  CompletionStage<Void> saveSnapshot(StoredSnapshot snapshot, boolean keepLaterEntries);

  /** Releases resources. Writes still in flight may complete exceptionally. */
  @Override
  void close();
}
