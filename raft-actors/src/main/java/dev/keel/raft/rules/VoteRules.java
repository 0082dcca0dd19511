package dev.keel.raft.rules;

import org.jspecify.annotations.Nullable;

/** The rule a peer uses to grant or refuse a vote or pre-vote (§5.2, §5.4.1, thesis §9.6). */
public final class VoteRules {

  private VoteRules() {}

  /** The answer to a vote request. */
  public enum Decision {
    GRANT,
    /** The candidate's term is older than the voter's. */
    REFUSE_STALE_TERM,
    /** The voter already voted for someone else in this term. */
    REFUSE_ALREADY_VOTED,
    /** The candidate's log is behind the voter's. */
    REFUSE_LOG_BEHIND,
    /** The voter heard from a live leader within the minimum election timeout. */
    REFUSE_LEADER_ALIVE
  }

  /**
   * Decides a vote. The caller must already have adopted {@code request.term()} if it was higher
   * than its own term (real votes only; a pre-vote never changes the voter's term).
   *
   * @param currentTerm the voter's term
   * @param votedFor whom the voter voted for in {@code currentTerm}, or null
   * @param lastLogIndex index of the voter's last entry
   * @param lastLogTerm term of the voter's last entry
   * @param leaderRecentlySeen whether the voter heard from a current leader within the minimum
   *     election timeout
   * @param request the request
   */
  public static Decision decide(
      long currentTerm,
      @Nullable String votedFor,
      long lastLogIndex,
      long lastLogTerm,
      boolean leaderRecentlySeen,
      VoteRequest request) {
    // Reply false if term < currentTerm (§5.1)
    if (request.term() < currentTerm) {
      return Decision.REFUSE_STALE_TERM;
    }
    // A voter that hears from a leader ignores campaigns, so a partitioned node that returns
    // cannot disrupt a healthy cluster (thesis §4.2.3, §9.6).
    if (leaderRecentlySeen) {
      return Decision.REFUSE_LEADER_ALIVE;
    }
    // If votedFor is null or candidateId, and the candidate's log is at least as up-to-date as
    // the receiver's log, grant vote (§5.2, §5.4.1)
    if (!request.preVote()
        && votedFor != null
        && !votedFor.equals(request.candidateId())
        && request.term() == currentTerm) {
      return Decision.REFUSE_ALREADY_VOTED;
    }
    if (!isUpToDate(request.lastLogIndex(), request.lastLogTerm(), lastLogIndex, lastLogTerm)) {
      return Decision.REFUSE_LOG_BEHIND;
    }
    return Decision.GRANT;
  }

  /**
   * Whether a log ending at (index, term) is at least as up-to-date as one ending at (ourIndex,
   * ourTerm): the later last term wins; with equal terms the longer log wins (§5.4.1).
   */
  public static boolean isUpToDate(long index, long term, long ourIndex, long ourTerm) {
    return term > ourTerm || (term == ourTerm && index >= ourIndex);
  }
}
