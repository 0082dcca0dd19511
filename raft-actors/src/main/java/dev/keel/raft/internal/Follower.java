package dev.keel.raft.internal;

import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftPeer.Command;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.protocol.RaftMessage.AppendEntries;
import dev.keel.raft.protocol.RaftMessage.AppendEntriesResult;
import dev.keel.raft.rules.AppendDecision;
import dev.keel.raft.rules.CommitRules;
import dev.keel.raft.rules.LogMatching;
import java.util.ArrayDeque;
import org.apache.pekko.actor.typed.Behavior;

/**
 * The follower role: takes entries from the leader, acknowledges them once durable, and starts an
 * election when the leader goes quiet.
 */
final class Follower extends RoleBehavior {

  /** A success answer held back until the entries it covers are durable. */
  private record PendingAck(long term, String leaderId, long matchIndex, long correlationId) {}

  // Invariant: matchIndex increases along the queue within one term.
  private final ArrayDeque<PendingAck> pendingAcks = new ArrayDeque<>();

  Follower(PeerState state) {
    super(state);
    s.timers.cancel(InternalMessage.Signal.CHECK_QUORUM);
    resetElectionTimer();
  }

  @Override
  PeerStatus.Role role() {
    return PeerStatus.Role.FOLLOWER;
  }

  void resetElectionTimer() {
    s.timers.startSingleTimer(
        InternalMessage.Signal.ELECTION_TIMEOUT,
        InternalMessage.Signal.ELECTION_TIMEOUT,
        s.randomElectionTimeout());
  }

  @Override
  Behavior<Command> onElectionTimeout() {
    // If election timeout elapses without receiving AppendEntries from current leader or
    // granting vote to candidate: convert to candidate (§5.2)
    s.log.info("{}: no leader heard in term {}, starting an election", s.id, s.currentTerm);
    s.leaderId = null;
    return Candidate.start(s);
  }

  /** Handles an AppendEntries whose term equals ours (the caller checked and adopted it). */
  Behavior<Command> acceptAppend(AppendEntries m) {
    s.leaderId = m.leaderId();
    s.lastLeaderContactNanos = s.now();
    resetElectionTimer();
    AppendDecision decision =
        LogMatching.evaluate(s.raftLog, m.prevLogIndex(), m.prevLogTerm(), m.entries());
    if (decision instanceof AppendDecision.Reject reject) {
      s.log.debug(
          "{}: rejecting entries after {} (term {}): hint {}/{}",
          s.id,
          m.prevLogIndex(),
          m.prevLogTerm(),
          reject.conflictIndex(),
          reject.conflictTerm());
      s.transport.send(
          m.leaderId(),
          new AppendEntriesResult(
              s.currentTerm,
              s.id,
              false,
              0,
              reject.conflictIndex(),
              reject.conflictTerm(),
              m.correlationId()));
      return this;
    }
    AppendDecision.Accept accept = (AppendDecision.Accept) decision;
    if (accept.truncateFrom() > 0) {
      s.truncateLogFrom(accept.truncateFrom());
    }
    if (!accept.toAppend().isEmpty()) {
      for (LogEntry entry : accept.toAppend()) {
        s.raftLog.append(entry);
      }
      s.persistEntries(accept.toAppend());
    }
    // If leaderCommit > commitIndex, set commitIndex = min(leaderCommit, index of last new
    // entry) (§5.3)
    s.commitTo(
        CommitRules.followerCommitIndex(s.commitIndex, m.leaderCommit(), accept.lastNewIndex()));
    pendingAcks.addLast(
        new PendingAck(s.currentTerm, m.leaderId(), accept.lastNewIndex(), m.correlationId()));
    sendDurableAcks();
    return this;
  }

  @Override
  Behavior<Command> onDurable() {
    sendDurableAcks();
    return this;
  }

  /** Sends the success answers whose entries are now durable (the durability rule). */
  private void sendDurableAcks() {
    long durable = s.durability.durableIndex();
    while (!pendingAcks.isEmpty()) {
      PendingAck ack = pendingAcks.peekFirst();
      if (ack.term() != s.currentTerm) {
        pendingAcks.pollFirst(); // a newer term began: the old leader learns it from other replies
        continue;
      }
      if (ack.matchIndex() > durable) {
        return;
      }
      pendingAcks.pollFirst();
      s.transport.send(
          ack.leaderId(),
          new AppendEntriesResult(
              s.currentTerm, s.id, true, ack.matchIndex(), 0, 0, ack.correlationId()));
    }
  }
}
