package dev.keel.raft.internal;

import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftPeer.Command;
import dev.keel.raft.RaftReply;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.SnapshotMetadata;
import dev.keel.raft.persistence.StoredSnapshot;
import dev.keel.raft.protocol.RaftMessage.AppendEntries;
import dev.keel.raft.protocol.RaftMessage.AppendEntriesResult;
import dev.keel.raft.protocol.RaftMessage.InstallSnapshot;
import dev.keel.raft.protocol.RaftMessage.InstallSnapshotResult;
import dev.keel.raft.rules.AppendDecision;
import dev.keel.raft.rules.CommitRules;
import dev.keel.raft.rules.LogMatching;
import dev.keel.raft.rules.SnapshotAssembly;
import java.util.ArrayDeque;
import org.apache.pekko.actor.typed.Behavior;
import org.jspecify.annotations.Nullable;

/**
 * The follower role: takes entries from the leader, acknowledges them once durable, and starts an
 * election when the leader goes quiet.
 */
final class Follower extends RoleBehavior {

  /** A success answer held back until the entries it covers are durable. */
  private record PendingAck(long term, String leaderId, long matchIndex, long correlationId) {}

  // Invariant: matchIndex increases along the queue within one term.
  private final ArrayDeque<PendingAck> pendingAcks = new ArrayDeque<>();
  private final SnapshotAssembly assembly = new SnapshotAssembly();
  // The transfer whose snapshot is being saved, until it is durable; null if none.
  private SnapshotAssembly.@Nullable Transfer installing;

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
              m.term(),
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

  /** Handles a snapshot chunk whose term equals ours (the caller checked and adopted it). */
  Behavior<Command> acceptSnapshotChunk(InstallSnapshot m) {
    s.leaderId = m.leaderId();
    s.lastLeaderContactNanos = s.now();
    resetElectionTimer();
    long index = m.lastIncludedIndex();
    if (index <= s.commitIndex && s.durability.durableIndex() >= index) {
      // Everything the snapshot holds is committed and durable here already (an earlier install,
      // or replication): the leader may go on after it. Restoring it would move the state
      // machine back in time.
      answerSnapshot(m, m.offset() + m.data().length, true);
      return this;
    }
    SnapshotAssembly.Transfer transfer =
        new SnapshotAssembly.Transfer(
            m.leaderId(), m.term(), m.lastIncludedIndex(), m.lastIncludedTerm());
    if (transfer.equals(installing)) {
      // The leader resent a chunk while the install is not durable yet (a slow disk): the answer
      // comes when it is.
      return this;
    }
    long expected = assembly.offer(transfer, m.offset(), m.data());
    boolean complete = m.done() && expected == m.offset() + m.data().length;
    if (!complete) {
      answerSnapshot(m, expected, false);
      return this;
    }
    byte[] data = assembly.complete();
    if (index <= s.commitIndex) {
      // Committed here, not yet durable: acknowledged once our own log is (see onDurable).
      return this;
    }
    installing = transfer;
    install(
        new StoredSnapshot(new SnapshotMetadata(index, m.lastIncludedTerm(), m.members()), data),
        m);
    return this;
  }

  private void install(StoredSnapshot snapshot, InstallSnapshot m) {
    long index = snapshot.metadata().lastIncludedIndex();
    long term = snapshot.metadata().lastIncludedTerm();
    // If existing log entry has same index and term as snapshot's last included entry, retain
    // log entries following it; otherwise discard the entire log (§7)
    boolean keepLater = s.raftLog.matches(index, term);
    s.log.info(
        "{}: installing snapshot up to {} (term {}) from {}", s.id, index, term, m.leaderId());
    long currentTerm = s.currentTerm;
    s.ctx.pipeToSelf(
        s.storage.saveSnapshot(snapshot, keepLater),
        (ok, failure) ->
            new InternalMessage.SnapshotInstalled(
                index, currentTerm, m.leaderId(), snapshot.size(), m.correlationId(), failure));
    if (keepLater) {
      s.raftLog.compactTo(index);
    } else {
      for (PendingWrites.PendingWrite write : s.pendingWrites.takeFrom(index + 1)) {
        s.redirect(write.replyTo());
      }
      s.raftLog.resetTo(index, term);
      s.durability.truncated(index);
    }
    // Writes waiting on entries the snapshot replaced: whether they are in it is unknown here.
    for (PendingWrites.PendingWrite write : s.pendingWrites.takeUpTo(index)) {
      write.replyTo().tell(new RaftReply.TimedOut<>());
    }
    s.latestSnapshot = snapshot;
    s.commitIndex = Math.max(s.commitIndex, index);
    s.applyDispatchedIndex = Math.max(s.applyDispatchedIndex, index);
    s.applier.tell(new Applier.Restore(snapshot));
  }

  private void answerSnapshot(InstallSnapshot m, long nextOffset, boolean done) {
    s.transport.send(
        m.leaderId(),
        new InstallSnapshotResult(
            s.currentTerm,
            s.id,
            m.lastIncludedIndex(),
            nextOffset,
            done,
            m.term(),
            m.correlationId()));
  }

  @Override
  Behavior<Command> onSnapshotInstalled(InternalMessage.SnapshotInstalled m) {
    installing = null;
    return super.onSnapshotInstalled(m);
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
              s.currentTerm, s.id, true, ack.matchIndex(), 0, 0, ack.term(), ack.correlationId()));
    }
  }
}
