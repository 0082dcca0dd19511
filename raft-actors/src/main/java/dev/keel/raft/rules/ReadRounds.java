package dev.keel.raft.rules;

import java.util.ArrayDeque;

/**
 * A replicator's record of the leader's read rounds (thesis §6.4) still waiting for its follower:
 * which request first carries each round. An answer to a request confirms every round that request
 * (or an earlier one) carries, since the request left after the round began.
 *
 * <p>Bounded: a round that begins before any request went out for the previous one shares that
 * request, so the two merge; and past {@code capacity} rounds the oldest is forgotten. Forgetting a
 * round is safe, because the leader counts a voter's confirmation of a round as one of every
 * earlier round too; it only means a slow answer confirms a little less. So a follower that stays
 * unreachable while reads flow costs a fixed amount of memory.
 *
 * <p>Invariant: rounds and their first correlation ids both increase along the queue.
 */
public final class ReadRounds {

  private record Round(long round, long firstCorrelationId) {}

  private final int capacity;
  private final ArrayDeque<Round> rounds = new ArrayDeque<>();

  /** Keeps at most {@code capacity} rounds. */
  public ReadRounds(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * Records that {@code round} began; requests from {@code nextCorrelationId} on carry it. Rounds
   * must increase between calls.
   */
  public void started(long round, long nextCorrelationId) {
    Round last = rounds.peekLast();
    if (last != null && last.firstCorrelationId() == nextCorrelationId) {
      rounds.pollLast(); // no request went out since: the next one confirms both
    }
    rounds.addLast(new Round(round, nextCorrelationId));
    if (rounds.size() > capacity) {
      rounds.pollFirst();
    }
  }

  /**
   * Records an answer to the request with {@code correlationId}.
   *
   * @return the highest round it confirms, 0 if none
   */
  public long answered(long correlationId) {
    long confirmed = 0;
    while (!rounds.isEmpty() && rounds.peekFirst().firstCorrelationId() <= correlationId) {
      confirmed = rounds.pollFirst().round();
    }
    return confirmed;
  }

  /** Rounds still waiting. */
  public int size() {
    return rounds.size();
  }
}
