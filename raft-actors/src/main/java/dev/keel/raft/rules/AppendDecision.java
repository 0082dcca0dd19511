package dev.keel.raft.rules;

import dev.keel.raft.persistence.LogEntry;
import java.util.List;

/** What a follower does with an AppendEntries whose term it accepted. */
public sealed interface AppendDecision {

  /**
   * The log has no entry matching prevLogIndex/prevLogTerm (§5.3). The hint lets the leader skip a
   * whole term at once instead of one entry per round trip.
   *
   * @param conflictIndex the first index of {@code conflictTerm} in the follower's log, or its last
   *     index + 1 when the log is too short
   * @param conflictTerm the term of the follower's entry at prevLogIndex, or 0 when it has none
   */
  record Reject(long conflictIndex, long conflictTerm) implements AppendDecision {}

  /**
   * The entries fit.
   *
   * @param truncateFrom the index from which the follower's own entries conflict and must go, or 0
   *     if none conflict
   * @param toAppend the entries the follower does not have yet (maybe none), starting at
   *     truncateFrom when that is set
   * @param lastNewIndex index of the last entry covered by the request: prevLogIndex + number of
   *     entries sent. The follower's log is known to match the leader's up to here.
   */
  record Accept(long truncateFrom, List<LogEntry> toAppend, long lastNewIndex)
      implements AppendDecision {}
}
