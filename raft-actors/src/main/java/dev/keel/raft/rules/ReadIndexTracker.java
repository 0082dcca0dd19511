package dev.keel.raft.rules;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The leader's bookkeeping for linearizable reads by ReadIndex (thesis §6.4). Each read records the
 * commit index when it arrived; reads are grouped into rounds of heartbeats, and a read is
 * confirmed once a majority answered a heartbeat sent after the read arrived, which proves the
 * leader was still the leader then.
 *
 * @param <T> what the caller keeps with each read (query and reply address)
 */
public final class ReadIndexTracker<T> {

  /**
   * A read waiting for its round.
   *
   * @param round the heartbeat round that confirms it
   * @param readIndex the commit index when the read arrived; the query runs once applied
   * @param payload the caller's data
   */
  public record PendingRead<T>(long round, long readIndex, T payload) {}

  private final String self;
  private final Map<String, Long> ackedRound = new HashMap<>();
  private final ArrayDeque<PendingRead<T>> pending = new ArrayDeque<>();
  private long latestRound;

  /** A tracker for a leader named {@code self} among {@code voters} (self included). */
  public ReadIndexTracker(String self, Set<String> voters) {
    this.self = self;
    for (String voter : voters) {
      ackedRound.put(voter, 0L);
    }
  }

  /** Opens a new round; heartbeats sent from now on confirm it. */
  public long startRound() {
    latestRound++;
    ackedRound.put(self, latestRound);
    return latestRound;
  }

  /** The most recent round, 0 before the first. */
  public long latestRound() {
    return latestRound;
  }

  /** Adds a read to be confirmed by {@code round}. Rounds must not decrease between calls. */
  public void add(long round, long readIndex, T payload) {
    pending.addLast(new PendingRead<>(round, readIndex, payload));
  }

  /**
   * Records that {@code voter} answered a heartbeat of {@code round} in the leader's term.
   *
   * @return the reads this confirms, in arrival order
   */
  public List<PendingRead<T>> acknowledged(String voter, long round) {
    ackedRound.computeIfPresent(voter, (k, old) -> Math.max(old, round));
    return drainConfirmed();
  }

  /** Confirmed reads; with one voter, every read is confirmed at once. */
  public List<PendingRead<T>> drainConfirmed() {
    long confirmed = Quorum.majorityValue(ackedRound.values());
    List<PendingRead<T>> out = new ArrayList<>();
    while (!pending.isEmpty() && pending.peekFirst().round() <= confirmed) {
      out.add(pending.pollFirst());
    }
    return out;
  }

  /** Removes and returns every waiting read, e.g. when leadership is lost. */
  public List<PendingRead<T>> drainAll() {
    List<PendingRead<T>> out = new ArrayList<>(pending);
    pending.clear();
    return out;
  }

  /** Removes and returns the reads whose payload the predicate selects. */
  public List<PendingRead<T>> removeIf(java.util.function.Predicate<T> expired) {
    List<PendingRead<T>> out = new ArrayList<>();
    pending.removeIf(
        read -> {
          if (expired.test(read.payload())) {
            out.add(read);
            return true;
          }
          return false;
        });
    return out;
  }
}
