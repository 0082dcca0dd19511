package dev.keel.raft.internal;

import dev.keel.raft.RaftReply;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Client writes waiting for their entry to be applied, in log index order. They survive role
 * changes: a deposed leader's entry may still be committed by the next leader, and then its client
 * still gets the real answer.
 */
final class PendingWrites {

  /**
   * One waiting write.
   *
   * @param index its entry's index
   * @param term its entry's term: if another entry ends up at that index, the write is lost
   * @param replyTo the client
   * @param deadlineNanos when it times out
   */
  record PendingWrite(
      long index, long term, ActorRef<RaftReply<Object>> replyTo, long deadlineNanos) {}

  // Invariant: strictly increasing indexes.
  private final ArrayDeque<PendingWrite> queue = new ArrayDeque<>();

  void add(PendingWrite write) {
    PendingWrite last = queue.peekLast();
    if (last != null && last.index() >= write.index()) {
      throw new IllegalStateException("pending write " + write.index() + " after " + last.index());
    }
    queue.addLast(write);
  }

  /** Removes the writes with index at most {@code index}. */
  List<PendingWrite> takeUpTo(long index) {
    List<PendingWrite> out = new ArrayList<>();
    while (!queue.isEmpty() && queue.peekFirst().index() <= index) {
      out.add(queue.pollFirst());
    }
    return out;
  }

  /** Removes the writes with index at least {@code index}: their entries were overwritten. */
  List<PendingWrite> takeFrom(long index) {
    List<PendingWrite> out = new ArrayList<>();
    while (!queue.isEmpty() && queue.peekLast().index() >= index) {
      out.add(0, queue.pollLast());
    }
    return out;
  }

  /** Removes the writes whose deadline passed. */
  List<PendingWrite> takeExpired(long nowNanos) {
    List<PendingWrite> out = new ArrayList<>();
    queue.removeIf(
        write -> {
          if (nowNanos - write.deadlineNanos() >= 0) {
            out.add(write);
            return true;
          }
          return false;
        });
    return out;
  }

  int size() {
    return queue.size();
  }
}
