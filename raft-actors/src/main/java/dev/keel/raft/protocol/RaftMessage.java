package dev.keel.raft.protocol;

import dev.keel.raft.RaftPeer;
import dev.keel.raft.persistence.LogEntry;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The messages peers exchange (Figure 2 of the Raft paper, with pre-vote from thesis §9.6). Every
 * message names its sender and carries the sender's term. Answers go back through the transport by
 * name, so a simulated or real network sees both directions.
 *
 * <p>Every answer also says exactly which request it answers: the request's term ({@code
 * requestTerm}) and its {@code correlationId}. A peer that leads or campaigns again in a later term
 * numbers its requests afresh, so an id alone could match an answer to a request of an earlier
 * leadership or election; with the term, a delayed or duplicated answer to an old request is
 * recognized and ignored.
 */
public sealed interface RaftMessage extends RaftPeer.Command
    permits RaftMessage.RequestVote,
        RaftMessage.RequestVoteResult,
        RaftMessage.AppendEntries,
        RaftMessage.AppendEntriesResult,
        RaftMessage.InstallSnapshot,
        RaftMessage.InstallSnapshotResult {

  /** The sender's term. */
  long term();

  /** The sender's name. */
  String from();

  /**
   * Invoked by candidates to gather votes (§5.2), or to ask whether a vote would be granted
   * (pre-vote: no state changes on either side).
   *
   * @param term candidate's term; for a pre-vote, the term it would campaign in
   * @param candidateId candidate requesting vote
   * @param lastLogIndex index of candidate's last log entry (§5.4)
   * @param lastLogTerm term of candidate's last log entry (§5.4)
   * @param preVote whether this is a pre-vote
   * @param correlationId names the round; echoed in the answer (a candidate may run several
   *     pre-vote rounds for the same term)
   */
  record RequestVote(
      long term,
      String candidateId,
      long lastLogIndex,
      long lastLogTerm,
      boolean preVote,
      long correlationId)
      implements RaftMessage {
    @Override
    public String from() {
      return candidateId;
    }
  }

  /**
   * Answer to {@link RequestVote}.
   *
   * @param term currentTerm of the voter, for the candidate to update itself; for a granted
   *     pre-vote, the term of the request
   * @param voterId who answers
   * @param voteGranted true means the candidate received the vote
   * @param preVote whether this answers a pre-vote
   * @param requestTerm the term of the request this answers
   * @param correlationId the request's correlation id
   */
  record RequestVoteResult(
      long term,
      String voterId,
      boolean voteGranted,
      boolean preVote,
      long requestTerm,
      long correlationId)
      implements RaftMessage {
    @Override
    public String from() {
      return voterId;
    }
  }

  /**
   * Invoked by the leader to replicate log entries (§5.3); also used as heartbeat (§5.2).
   *
   * @param term leader's term
   * @param leaderId so follower can redirect clients
   * @param prevLogIndex index of log entry immediately preceding new ones
   * @param prevLogTerm term of prevLogIndex entry
   * @param entries log entries to store (empty for heartbeat)
   * @param leaderCommit leader's commitIndex
   * @param correlationId echoed in the answer, so the leader matches answers to requests
   */
  record AppendEntries(
      long term,
      String leaderId,
      long prevLogIndex,
      long prevLogTerm,
      List<LogEntry> entries,
      long leaderCommit,
      long correlationId)
      implements RaftMessage {

    /** Copies the entries so the message stays immutable. */
    public AppendEntries {
      entries = List.copyOf(entries);
    }

    @Override
    public String from() {
      return leaderId;
    }
  }

  /**
   * Answer to {@link AppendEntries}.
   *
   * @param term currentTerm of the follower, for the leader to update itself
   * @param followerId who answers
   * @param success true if the follower contained an entry matching prevLogIndex and prevLogTerm
   * @param matchIndex on success: index up to which the follower's log now matches the leader's
   * @param conflictIndex on failure: first index of conflictTerm in the follower's log, or its last
   *     index + 1 when too short
   * @param conflictTerm on failure: term of the follower's entry at prevLogIndex, 0 if none
   * @param requestTerm the term of the request this answers
   * @param correlationId the request's correlation id
   */
  record AppendEntriesResult(
      long term,
      String followerId,
      boolean success,
      long matchIndex,
      long conflictIndex,
      long conflictTerm,
      long requestTerm,
      long correlationId)
      implements RaftMessage {
    @Override
    public String from() {
      return followerId;
    }
  }

  /**
   * Invoked by the leader to send chunks of a snapshot to a follower whose next entries it has
   * compacted away (§7). Chunks are sent in order; each answer names the offset wanted next.
   *
   * @param term leader's term
   * @param leaderId so follower can redirect clients
   * @param lastIncludedIndex the snapshot replaces all entries up through and including this index
   * @param lastIncludedTerm term of lastIncludedIndex
   * @param members the voting members as of lastIncludedIndex
   * @param offset byte offset where this chunk is positioned in the snapshot
   * @param data raw bytes of the snapshot chunk, starting at offset
   * @param done true if this is the last chunk
   * @param correlationId echoed in the answer
   */
  record InstallSnapshot(
      long term,
      String leaderId,
      long lastIncludedIndex,
      long lastIncludedTerm,
      List<String> members,
      long offset,
      byte[] data,
      boolean done,
      long correlationId)
      implements RaftMessage {

    /** Copies the member list so the message stays immutable; the chunk is shared. */
    public InstallSnapshot {
      members = List.copyOf(members);
    }

    /** Compares the chunk by content, like the other fields. */
    @Override
    public boolean equals(Object other) {
      return other instanceof InstallSnapshot that
          && term == that.term
          && leaderId.equals(that.leaderId)
          && lastIncludedIndex == that.lastIncludedIndex
          && lastIncludedTerm == that.lastIncludedTerm
          && members.equals(that.members)
          && offset == that.offset
          && Arrays.equals(data, that.data)
          && done == that.done
          && correlationId == that.correlationId;
    }

    @Override
    public int hashCode() {
      return Objects.hash(leaderId, lastIncludedIndex, offset, correlationId)
          + 31 * Arrays.hashCode(data);
    }

    @Override
    public String from() {
      return leaderId;
    }
  }

  /**
   * Answer to {@link InstallSnapshot}.
   *
   * @param term currentTerm of the follower, for the leader to update itself
   * @param followerId who answers
   * @param lastIncludedIndex the snapshot the answer is about
   * @param nextOffset the byte offset the follower wants next (its received length)
   * @param done whether the follower installed the whole snapshot durably
   * @param requestTerm the term of the request this answers
   * @param correlationId the request's correlation id
   */
  record InstallSnapshotResult(
      long term,
      String followerId,
      long lastIncludedIndex,
      long nextOffset,
      boolean done,
      long requestTerm,
      long correlationId)
      implements RaftMessage {
    @Override
    public String from() {
      return followerId;
    }
  }
}
