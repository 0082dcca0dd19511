package dev.keel.raft.rules;

import dev.keel.raft.persistence.LogEntry;
import java.util.List;

/** The follower's side of log replication: consistency check and conflict resolution (§5.3). */
public final class LogMatching {

  private LogMatching() {}

  /**
   * Decides how the follower's log takes the leader's entries. Pure: the caller applies the
   * decision to its log and storage.
   *
   * <p>An entry the follower already has with the same term is never removed: a delayed or
   * duplicated request must not cut off entries a later request appended.
   */
  public static AppendDecision evaluate(
      RaftLog log, long prevLogIndex, long prevLogTerm, List<LogEntry> entries) {
    if (prevLogIndex < log.baseIndex()) {
      // Our snapshot already covers part of the request; those entries are committed, so they
      // match the leader's (§5.4). Check only what follows the snapshot.
      int skip = (int) Math.min(entries.size(), log.baseIndex() - prevLogIndex);
      long lastNewIndex = prevLogIndex + entries.size();
      AppendDecision rest =
          evaluate(log, log.baseIndex(), log.baseTerm(), entries.subList(skip, entries.size()));
      if (rest instanceof AppendDecision.Accept accept) {
        return new AppendDecision.Accept(
            accept.truncateFrom(), accept.toAppend(), Math.max(lastNewIndex, log.baseIndex()));
      }
      return rest;
    }
    // Reply false if log doesn't contain an entry at prevLogIndex whose term matches
    // prevLogTerm (§5.3)
    if (prevLogIndex > log.lastIndex()) {
      return new AppendDecision.Reject(log.lastIndex() + 1, 0);
    }
    long ourTerm = log.termAt(prevLogIndex);
    if (ourTerm != prevLogTerm) {
      return new AppendDecision.Reject(log.firstIndexOfTerm(ourTerm), ourTerm);
    }
    // If an existing entry conflicts with a new one (same index but different terms), delete the
    // existing entry and all that follow it (§5.3). Append any new entries not already in the log
    for (int i = 0; i < entries.size(); i++) {
      LogEntry entry = entries.get(i);
      if (entry.index() > log.lastIndex()) {
        return new AppendDecision.Accept(
            0, entries.subList(i, entries.size()), prevLogIndex + entries.size());
      }
      if (log.termAt(entry.index()) != entry.term()) {
        return new AppendDecision.Accept(
            entry.index(), entries.subList(i, entries.size()), prevLogIndex + entries.size());
      }
    }
    return new AppendDecision.Accept(0, List.of(), prevLogIndex + entries.size());
  }

  /**
   * The leader's side of a rejection: the next index to try for a follower that answered with the
   * given hint. Skips the follower's whole conflicting term; if the leader has entries of that
   * term, it resumes after its own last one of them.
   *
   * @param log the leader's log
   * @param conflictIndex the follower's hint (see {@link AppendDecision.Reject})
   * @param conflictTerm the follower's hint, 0 when the follower's log was too short
   * @param matchIndex the highest index known to be replicated on the follower
   */
  public static long nextIndexAfterRejection(
      RaftLog log, long conflictIndex, long conflictTerm, long matchIndex) {
    long next = conflictIndex;
    if (conflictTerm > 0) {
      long ours = log.lastIndexOfTerm(conflictTerm);
      if (ours >= 0) {
        next = ours + 1;
      }
    }
    next = Math.min(next, log.lastIndex() + 1);
    return Math.max(next, matchIndex + 1);
  }
}
