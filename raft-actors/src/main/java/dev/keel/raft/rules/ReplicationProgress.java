package dev.keel.raft.rules;

import java.util.ArrayDeque;

/**
 * The leader's view of one follower's log, kept by that follower's replicator (Figure 2: nextIndex,
 * matchIndex), plus the flow control of pipelined AppendEntries.
 *
 * <p>Invariant: 0 <= matchIndex < nextIndex.
 *
 * <p>In {@link Mode#PROBE} at most one request with entries is in flight, because the leader does
 * not know where the follower's log diverges. After a success it switches to {@link Mode#PIPELINE}
 * and sends optimistically, up to {@code maxInflight} requests ahead.
 */
public final class ReplicationProgress {

  /** Flow-control state. */
  public enum Mode {
    PROBE,
    PIPELINE
  }

  /** A request carrying entries that has no answer yet, and the last index it carried. */
  private record Inflight(long correlationId, long lastIndex) {}

  private final int maxInflight;
  private long nextIndex;
  private long matchIndex;
  private Mode mode = Mode.PROBE;
  // Requests carrying entries that have no answer yet, in sending order.
  private final ArrayDeque<Inflight> inflight = new ArrayDeque<>();
  // Rejections of requests sent before this correlation id are stale and ignored.
  private long resetCorrelationId;
  private int ticksWithoutAnswer;

  /** Progress of a follower for a new leader whose last log index is {@code leaderLastIndex}. */
  public ReplicationProgress(long leaderLastIndex, int maxInflight) {
    if (maxInflight < 1) {
      throw new IllegalArgumentException("maxInflight must be >= 1, was " + maxInflight);
    }
    this.maxInflight = maxInflight;
    this.nextIndex = leaderLastIndex + 1; // initialized to leader last log index + 1 (Figure 2)
  }

  /** Next index to send. */
  public long nextIndex() {
    return nextIndex;
  }

  /** Highest index known to be replicated on the follower. */
  public long matchIndex() {
    return matchIndex;
  }

  /** Current flow-control state. */
  public Mode mode() {
    return mode;
  }

  /** Requests with entries that have no answer yet. */
  public int inflight() {
    return inflight.size();
  }

  /** Whether another request with entries may go out now. */
  public boolean canSendEntries(long leaderLastIndex) {
    int window = mode == Mode.PROBE ? 1 : maxInflight;
    return nextIndex <= leaderLastIndex && inflight.size() < window;
  }

  /** Moves the next index, after the leader resolved a rejection hint. */
  public void resumeAt(long newNextIndex) {
    nextIndex = Math.max(newNextIndex, matchIndex + 1);
  }

  /** Records a request that went out; {@code lastIndex} is the last entry it carried. */
  public void sent(long correlationId, long lastIndex, boolean carriedEntries) {
    if (carriedEntries) {
      inflight.addLast(new Inflight(correlationId, lastIndex));
      nextIndex = Math.max(nextIndex, lastIndex + 1);
    }
  }

  /**
   * Records a successful answer.
   *
   * @param followerMatchIndex the index up to which the follower's log now matches
   * @return whether matchIndex advanced
   */
  public boolean succeeded(long correlationId, long followerMatchIndex) {
    inflight.removeIf(request -> request.correlationId() == correlationId);
    ticksWithoutAnswer = 0;
    mode = Mode.PIPELINE;
    boolean advanced = followerMatchIndex > matchIndex;
    if (advanced) {
      matchIndex = followerMatchIndex;
    }
    // The follower holds everything up to matchIndex, so requests carrying nothing beyond it are
    // done even if their own answers were lost; left in flight they would fill the window for
    // good, since answered heartbeats keep the lost-request timeout from firing.
    inflight.removeIf(request -> request.lastIndex() <= matchIndex);
    nextIndex = Math.max(nextIndex, matchIndex + 1);
    return advanced;
  }

  /**
   * Records a rejection (log mismatch).
   *
   * @param nextCorrelationId the id the next request will carry
   * @return true if the rejection is current and the caller must resolve the follower's hint; false
   *     if it answers a request sent before the last reset
   */
  public boolean rejected(long correlationId, long nextCorrelationId) {
    ticksWithoutAnswer = 0;
    inflight.removeIf(request -> request.correlationId() == correlationId);
    if (correlationId < resetCorrelationId) {
      return false;
    }
    reset(nextCorrelationId);
    return true;
  }

  /**
   * Counts one heartbeat interval. When requests have gone unanswered for {@code limit} ticks they
   * are presumed lost: go back to probing from matchIndex + 1.
   *
   * @return whether the progress was reset
   */
  public boolean tick(int limit, long nextCorrelationId) {
    if (inflight.isEmpty()) {
      ticksWithoutAnswer = 0;
      return false;
    }
    if (++ticksWithoutAnswer < limit) {
      return false;
    }
    reset(nextCorrelationId);
    nextIndex = matchIndex + 1;
    return true;
  }

  private void reset(long nextCorrelationId) {
    mode = Mode.PROBE;
    inflight.clear();
    ticksWithoutAnswer = 0;
    resetCorrelationId = nextCorrelationId;
  }

  /**
   * Records that the follower installed a snapshot ending at {@code index}: its log now matches up
   * to there, and replication continues right after it.
   */
  public void snapshotInstalled(long index) {
    inflight.clear();
    ticksWithoutAnswer = 0;
    matchIndex = Math.max(matchIndex, index);
    nextIndex = matchIndex + 1;
    mode = Mode.PIPELINE;
  }
}
