package dev.keel.raft.rules;

/**
 * The facts of a RequestVote that the voting rule looks at.
 *
 * @param term the candidate's term (for a pre-vote: the term it would campaign in)
 * @param candidateId who asks
 * @param lastLogIndex index of the candidate's last log entry
 * @param lastLogTerm term of the candidate's last log entry
 * @param preVote whether this is a pre-vote, which changes no state
 */
public record VoteRequest(
    long term, String candidateId, long lastLogIndex, long lastLogTerm, boolean preVote) {}
