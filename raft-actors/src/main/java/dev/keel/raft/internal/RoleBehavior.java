package dev.keel.raft.internal;

import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftPeer.Command;
import dev.keel.raft.RaftReply;
import dev.keel.raft.persistence.StoredSnapshot;
import dev.keel.raft.protocol.RaftMessage.AppendEntries;
import dev.keel.raft.protocol.RaftMessage.AppendEntriesResult;
import dev.keel.raft.protocol.RaftMessage.InstallSnapshot;
import dev.keel.raft.protocol.RaftMessage.InstallSnapshotResult;
import dev.keel.raft.protocol.RaftMessage.RequestVote;
import dev.keel.raft.protocol.RaftMessage.RequestVoteResult;
import dev.keel.raft.rules.VoteRequest;
import dev.keel.raft.rules.VoteRules;
import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.jspecify.annotations.Nullable;

/**
 * What every role does alike: term checks (§5.1), voting, durability callbacks, status, local
 * reads, request deadlines. Each role overrides the handlers where it differs. Behaviors decide
 * nothing of Raft themselves: they call the {@code rules} classes and carry out the result, in
 * durable order (persist, then reply).
 */
abstract class RoleBehavior extends AbstractBehavior<Command> {

  protected final PeerState s;

  RoleBehavior(PeerState state) {
    super(state.ctx);
    this.s = state;
  }

  abstract PeerStatus.Role role();

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(AppendEntries.class, this::onAppendEntries)
        .onMessage(AppendEntriesResult.class, this::onAppendEntriesResult)
        .onMessage(RequestVote.class, this::onRequestVote)
        .onMessage(RequestVoteResult.class, this::onRequestVoteResult)
        .onMessage(InstallSnapshot.class, this::onInstallSnapshot)
        .onMessage(InstallSnapshotResult.class, this::onInstallSnapshotResult)
        .onMessage(RaftPeer.TakeSnapshot.class, this::onTakeSnapshot)
        .onMessage(InternalMessage.SnapshotTaken.class, this::onSnapshotTaken)
        .onMessage(InternalMessage.SnapshotSaved.class, this::onSnapshotSaved)
        .onMessage(InternalMessage.SnapshotInstalled.class, this::onSnapshotInstalled)
        .onMessage(RaftPeer.Write.class, this::onWrite)
        .onMessage(RaftPeer.Read.class, this::onRead)
        .onMessage(RaftPeer.GetStatus.class, this::onGetStatus)
        .onMessage(InternalMessage.TermPersisted.class, this::onTermPersisted)
        .onMessage(InternalMessage.EntriesPersisted.class, this::onEntriesPersisted)
        .onMessage(InternalMessage.Applied.class, this::onApplied)
        .onMessage(InternalMessage.FetchEntries.class, this::onFetchEntries)
        .onMessage(InternalMessage.FollowerProgress.class, this::onFollowerProgress)
        .onMessage(InternalMessage.ApplierFailed.class, this::onApplierFailed)
        .onMessage(RaftPeer.Stop.class, this::onStop)
        .onMessageEquals(InternalMessage.Signal.APPLIER_STOPPED, this::onApplierStopped)
        .onMessageEquals(InternalMessage.Signal.ELECTION_TIMEOUT, this::onElectionTimeout)
        .onMessageEquals(InternalMessage.Signal.CHECK_QUORUM, this::onCheckQuorum)
        .onMessageEquals(InternalMessage.Signal.FLUSH, this::onFlush)
        .onMessageEquals(InternalMessage.Signal.SWEEP_REQUESTS, this::onSweep)
        .build();
  }

  // ---- role changes

  /** Called when this role ends, before the next one starts. */
  void leave() {}

  /** Becomes a follower in the current term, or in {@code term} if that is newer. */
  Behavior<Command> stepDown(long term) {
    if (term > s.currentTerm) {
      s.adoptTerm(term);
      s.persistTermAndVote(null);
    }
    if (role() == PeerStatus.Role.FOLLOWER) {
      return this;
    }
    leave();
    s.log.info("{}: {} -> FOLLOWER in term {}", s.id, role(), s.currentTerm);
    return new Follower(s);
  }

  // ---- peer protocol

  Behavior<Command> onAppendEntries(AppendEntries m) {
    // Reply false if term < currentTerm (§5.1)
    if (m.term() < s.currentTerm) {
      s.transport.send(
          m.leaderId(),
          new AppendEntriesResult(
              s.currentTerm, s.id, false, 0, 0, 0, m.term(), m.correlationId()));
      return this;
    }
    // If AppendEntries RPC received from new leader: convert to follower (§5.2)
    Behavior<Command> next = stepDown(m.term());
    return ((Follower) next).acceptAppend(m);
  }

  Behavior<Command> onInstallSnapshot(InstallSnapshot m) {
    // Reply immediately if term < currentTerm (§7)
    if (m.term() < s.currentTerm) {
      s.transport.send(
          m.leaderId(),
          new InstallSnapshotResult(
              s.currentTerm, s.id, m.lastIncludedIndex(), 0, false, m.term(), m.correlationId()));
      return this;
    }
    Behavior<Command> next = stepDown(m.term());
    return ((Follower) next).acceptSnapshotChunk(m);
  }

  Behavior<Command> onInstallSnapshotResult(InstallSnapshotResult m) {
    return m.term() > s.currentTerm ? stepDown(m.term()) : this;
  }

  Behavior<Command> onSnapshotInstalled(InternalMessage.SnapshotInstalled m) {
    if (m.failure() != null) {
      return storageFailed("an installed snapshot", m.failure());
    }
    s.durability.coveredBySnapshot(m.lastIncludedIndex());
    if (m.term() == s.currentTerm) {
      s.transport.send(
          m.leaderId(),
          new InstallSnapshotResult(
              s.currentTerm,
              s.id,
              m.lastIncludedIndex(),
              m.size(),
              true,
              m.term(),
              m.correlationId()));
    }
    return onDurable();
  }

  private Behavior<Command> onTakeSnapshot(RaftPeer.TakeSnapshot m) {
    s.applier.tell(new Applier.SnapshotNow(m.replyTo()));
    return this;
  }

  private Behavior<Command> onSnapshotTaken(InternalMessage.SnapshotTaken m) {
    long index = m.snapshot().metadata().lastIncludedIndex();
    ActorRef<RaftReply<Long>> replyTo = m.replyTo();
    if (index <= s.snapshotInFlightIndex) {
      // The same state (a retried request, or one right after an automatic snapshot) is being
      // saved already: storage would refuse a second copy as not newer. Answer with that one.
      if (replyTo != null) {
        s.snapshotWaiters.add(replyTo);
      }
      return this;
    }
    StoredSnapshot latest = s.latestSnapshot;
    if (latest != null && latest.metadata().lastIncludedIndex() >= index) {
      replySnapshot(replyTo, latest.metadata().lastIncludedIndex());
      return this;
    }
    s.snapshotInFlightIndex = index;
    if (replyTo != null) {
      s.snapshotWaiters.add(replyTo);
    }
    s.ctx.pipeToSelf(
        s.storage.saveSnapshot(m.snapshot(), true),
        (ok, failure) -> new InternalMessage.SnapshotSaved(m.snapshot(), failure));
    return this;
  }

  private Behavior<Command> onSnapshotSaved(InternalMessage.SnapshotSaved m) {
    if (m.failure() != null) {
      return storageFailed("a snapshot", m.failure());
    }
    s.snapshotInFlightIndex = 0;
    StoredSnapshot latest = s.latestSnapshot;
    long index = m.snapshot().metadata().lastIncludedIndex();
    if (latest == null || latest.metadata().lastIncludedIndex() < index) {
      s.latestSnapshot = m.snapshot();
      // Entries the snapshot covers are no longer needed: followers behind it get the snapshot.
      if (index > s.raftLog.baseIndex() && index <= s.raftLog.lastIndex()) {
        s.raftLog.compactTo(index);
        s.log.debug("{}: log compacted up to {}", s.id, index);
      }
    }
    for (ActorRef<RaftReply<Long>> waiter : s.snapshotWaiters) {
      replySnapshot(waiter, index);
    }
    s.snapshotWaiters.clear();
    return this;
  }

  private static void replySnapshot(@Nullable ActorRef<RaftReply<Long>> replyTo, long index) {
    if (replyTo != null) {
      replyTo.tell(new RaftReply.Ok<>(index, index));
    }
  }

  Behavior<Command> onAppendEntriesResult(AppendEntriesResult m) {
    return m.term() > s.currentTerm ? stepDown(m.term()) : this;
  }

  Behavior<Command> onRequestVoteResult(RequestVoteResult m) {
    return !m.voteGranted() && m.term() > s.currentTerm ? stepDown(m.term()) : this;
  }

  /** Whether this peer currently holds or follows a live leader, so it ignores campaigns. */
  boolean leaderLeaseHeld() {
    return s.leaderRecentlySeen();
  }

  Behavior<Command> onRequestVote(RequestVote m) {
    VoteRequest request =
        new VoteRequest(m.term(), m.candidateId(), m.lastLogIndex(), m.lastLogTerm(), m.preVote());
    boolean lease = m.term() > s.currentTerm && leaderLeaseHeld();
    if (m.preVote()) {
      // A pre-vote changes nothing here; it is granted only for a term above ours (§9.6).
      boolean granted =
          m.term() > s.currentTerm
              && VoteRules.decide(
                      s.currentTerm,
                      null,
                      s.raftLog.lastIndex(),
                      s.raftLog.lastTerm(),
                      lease,
                      request)
                  == VoteRules.Decision.GRANT;
      answerVote(m, granted ? m.term() : s.currentTerm, granted);
      return this;
    }
    if (lease) {
      s.log.debug("{}: ignoring vote request of {}: leader is alive", s.id, m.candidateId());
      answerVote(m, s.currentTerm, false);
      return this;
    }
    Behavior<Command> next = m.term() > s.currentTerm ? stepDown(m.term()) : this;
    VoteRules.Decision decision =
        VoteRules.decide(
            s.currentTerm, s.votedFor, s.raftLog.lastIndex(), s.raftLog.lastTerm(), false, request);
    if (decision == VoteRules.Decision.GRANT) {
      s.votedFor = m.candidateId();
      s.log.debug("{}: voting for {} in term {}", s.id, m.candidateId(), s.currentTerm);
      // The vote is answered once durable (Figure 2: persist before responding).
      s.persistTermAndVote(
          new InternalMessage.VoteAnswer(m.candidateId(), false, m.term(), m.correlationId()));
      if (next instanceof Follower follower) {
        follower.resetElectionTimer();
      }
    } else {
      s.log.debug("{}: refusing vote to {}: {}", s.id, m.candidateId(), decision);
      answerVote(m, s.currentTerm, false);
    }
    return next;
  }

  private void answerVote(RequestVote request, long term, boolean granted) {
    s.transport.send(
        request.candidateId(),
        new RequestVoteResult(
            term, s.id, granted, request.preVote(), request.term(), request.correlationId()));
  }

  Behavior<Command> onTermPersisted(InternalMessage.TermPersisted m) {
    if (m.failure() != null) {
      return storageFailed("term and vote", m.failure());
    }
    InternalMessage.VoteAnswer answer = m.answer();
    if (answer != null) {
      boolean stillOurs = m.term() == s.currentTerm && answer.candidateId().equals(s.votedFor);
      s.transport.send(
          answer.candidateId(),
          new RequestVoteResult(
              s.currentTerm, s.id, stillOurs, false, answer.requestTerm(), answer.correlationId()));
    }
    return this;
  }

  Behavior<Command> onEntriesPersisted(InternalMessage.EntriesPersisted m) {
    if (m.failure() != null) {
      return storageFailed("log entries", m.failure());
    }
    s.durability.completed(m.writeSeq());
    return onDurable();
  }

  /** Called when the durable index may have advanced. */
  Behavior<Command> onDurable() {
    return this;
  }

  Behavior<Command> storageFailed(String what, Throwable failure) {
    // Nothing written after a failed write can be trusted durable: stop rather than ack it.
    s.log.error("{}: storage failed writing {}; stopping the peer", s.id, what, failure);
    return stop(true, null);
  }

  private Behavior<Command> onApplierFailed(InternalMessage.ApplierFailed m) {
    s.log.error("{}: the state machine failed; stopping the peer", s.id, m.cause());
    return stop(true, null);
  }

  private Behavior<Command> onApplierStopped() {
    s.log.error("{}: the applier stopped unexpectedly; stopping the peer", s.id);
    return stop(false, null);
  }

  private Behavior<Command> onStop(RaftPeer.Stop m) {
    s.log.info("{}: stopping on request in term {} as {}", s.id, s.currentTerm, role());
    return stop(true, m.replyTo());
  }

  private Behavior<Command> stop(boolean applierAlive, @Nullable ActorRef<Done> requester) {
    leave();
    return Stopping.start(s, applierAlive, requester);
  }

  // ---- leader internals; other roles ignore messages from replicators that are stopping

  Behavior<Command> onFetchEntries(InternalMessage.FetchEntries m) {
    return this;
  }

  Behavior<Command> onFollowerProgress(InternalMessage.FollowerProgress m) {
    return this;
  }

  Behavior<Command> onCheckQuorum() {
    return this;
  }

  Behavior<Command> onFlush() {
    return this;
  }

  abstract Behavior<Command> onElectionTimeout();

  // ---- clients

  @SuppressWarnings("unchecked") // the client's reply type is the state machine's result type
  Behavior<Command> onWrite(RaftPeer.Write<?, ?> m) {
    s.redirect((ActorRef<RaftReply<Object>>) (ActorRef<?>) m.replyTo());
    return this;
  }

  @SuppressWarnings("unchecked") // the client's reply type is the state machine's result type
  Behavior<Command> onRead(RaftPeer.Read<?, ?> m) {
    ActorRef<RaftReply<Object>> replyTo = (ActorRef<RaftReply<Object>>) (ActorRef<?>) m.replyTo();
    if (m.consistency() == RaftPeer.ReadConsistency.LOCAL) {
      s.applier.tell(new Applier.RunQuery(m.query(), s.applyDispatchedIndex, replyTo));
    } else {
      onLinearizableRead(m.query(), replyTo);
    }
    return this;
  }

  void onLinearizableRead(Object query, ActorRef<RaftReply<Object>> replyTo) {
    s.redirect(replyTo);
  }

  Map<String, Long> followerMatchIndex() {
    return Map.of();
  }

  private Behavior<Command> onGetStatus(RaftPeer.GetStatus m) {
    m.replyTo().tell(s.status(role(), followerMatchIndex()));
    return this;
  }

  private Behavior<Command> onApplied(InternalMessage.Applied m) {
    s.applied(m.index(), m.count());
    return this;
  }

  Behavior<Command> onSweep() {
    s.expireWrites();
    return this;
  }
}
