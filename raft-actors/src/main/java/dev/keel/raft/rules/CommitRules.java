package dev.keel.raft.rules;

import java.util.Collection;

/** How the leader and followers advance the commit index. */
public final class CommitRules {

  private CommitRules() {}

  /**
   * The leader's new commit index: if there exists an N > commitIndex such that a majority of
   * matchIndex[i] >= N and log[N].term == currentTerm, set commitIndex = N (§5.3, §5.4). Entries of
   * earlier terms are committed only indirectly, by a current-term entry after them (§5.4.2).
   *
   * @param matchIndexes the match index of every voter, the leader's own durable index included
   * @return the new commit index, never below {@code commitIndex}
   */
  public static long leaderCommitIndex(
      RaftLog log, long currentTerm, long commitIndex, Collection<Long> matchIndexes) {
    long candidate = Math.min(Quorum.majorityValue(matchIndexes), log.lastIndex());
    if (candidate > commitIndex && log.termAt(candidate) == currentTerm) {
      return candidate;
    }
    return commitIndex;
  }

  /**
   * A follower's new commit index: if leaderCommit > commitIndex, set commitIndex =
   * min(leaderCommit, index of last new entry) (§5.3). Only the prefix the leader just verified may
   * be committed: entries past it could still be from a stale term.
   */
  public static long followerCommitIndex(long commitIndex, long leaderCommit, long lastNewIndex) {
    return Math.max(commitIndex, Math.min(leaderCommit, lastNewIndex));
  }
}
