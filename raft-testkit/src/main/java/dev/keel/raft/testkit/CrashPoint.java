package dev.keel.raft.testkit;

/**
 * A persistence step at which a {@link CrashPointStorage} crashes its peer. Each names the moment
 * the process dies: the write it names has reached the storage, and the peer never hears back.
 */
public enum CrashPoint {

  /**
   * A term and vote carrying a vote ({@code votedFor} set: a vote for another candidate, or a
   * candidate's vote for itself) became durable; the vote is never answered.
   */
  AFTER_VOTE_DURABLE,

  /** An append became durable; the peer never acknowledges it to the leader. */
  AFTER_APPEND_DURABLE,

  /**
   * An append was handed to the storage and the process dies before it is confirmed: it may or may
   * not be durable when the peer restarts.
   */
  MID_APPEND,

  /**
   * A snapshot the peer took of its own state machine became durable ({@code saveSnapshot} with
   * {@code keepLaterEntries = true}); the peer never hears that it is saved.
   */
  AFTER_SNAPSHOT_SAVED,

  /**
   * A snapshot received from the leader became durable ({@code saveSnapshot} with {@code
   * keepLaterEntries = false}: the log it contradicts is discarded); the install is never
   * acknowledged.
   */
  AFTER_SNAPSHOT_INSTALLED
}
