package dev.keel.raft.internal;

import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import dev.keel.raft.persistence.RecoveredState;
import dev.keel.raft.persistence.StoredSnapshot;
import org.apache.pekko.actor.typed.ActorRef;
import org.jspecify.annotations.Nullable;

/** Messages a peer sends itself, and those its children send it. */
sealed interface InternalMessage extends RaftPeer.Command {

  /** Timer and self-scheduled signals. */
  enum Signal implements InternalMessage {
    /** No leader heard from (follower) or the election took too long (candidate). */
    ELECTION_TIMEOUT,
    /** The leader checks that a majority answered since the last check. */
    CHECK_QUORUM,
    /** Answer requests that passed their deadline. */
    SWEEP_REQUESTS,
    /** Hand what accumulated in this mailbox run to storage and replicators (group commit). */
    FLUSH,
    /** The applier child stopped (watched): on its own after a failure, or when told to. */
    APPLIER_STOPPED,
    /** A stopping peer waited long enough for its applier: stop now. */
    STOP_DEADLINE
  }

  /**
   * The state machine failed in a way the peer cannot recover from (an exception or error from
   * applyBatch or restore, a committed command no serializer here can read): the peer stops.
   *
   * @param cause what failed
   */
  record ApplierFailed(Throwable cause) implements InternalMessage {}

  /** Storage finished recovery. */
  record Recovered(@Nullable RecoveredState state, @Nullable Throwable failure)
      implements InternalMessage {}

  /** A write of entries became durable (or failed). */
  record EntriesPersisted(long writeSeq, @Nullable Throwable failure) implements InternalMessage {}

  /** A write of term and vote became durable (or failed); a vote may now be answered. */
  record TermPersisted(long term, @Nullable VoteAnswer answer, @Nullable Throwable failure)
      implements InternalMessage {}

  /**
   * A vote to send once the vote is durable.
   *
   * @param candidateId to whom
   * @param preVote whether it answers a pre-vote
   * @param requestTerm the term of the request it answers
   * @param correlationId the request's correlation id
   */
  record VoteAnswer(String candidateId, boolean preVote, long requestTerm, long correlationId) {}

  /**
   * A replicator asks the leader for what to send next.
   *
   * @param followerId the replicator's follower
   * @param nextIndex the index the replicator wants to send from
   * @param matchIndex the follower's match index, a floor for the next index
   * @param rejection whether the last answer was a rejection whose hint the leader resolves
   * @param conflictIndex the hint, when rejection
   * @param conflictTerm the hint, when rejection
   * @param withEntries whether entries may go out (false: heartbeat only)
   * @param fetchId echoed in the answer
   * @param replyTo the replicator
   */
  record FetchEntries(
      String followerId,
      long nextIndex,
      long matchIndex,
      boolean rejection,
      long conflictIndex,
      long conflictTerm,
      boolean withEntries,
      long fetchId,
      ActorRef<Replicator.Command> replyTo)
      implements InternalMessage {}

  /**
   * A replicator's report after an answer from its follower in the leader's term.
   *
   * @param followerId who answered
   * @param term the leader term the replicator works for
   * @param matchIndex the follower's match index
   * @param ackedRound the highest read round this answer confirms (0 if none)
   */
  record FollowerProgress(String followerId, long term, long matchIndex, long ackedRound)
      implements InternalMessage {}

  /**
   * The applier applied everything up to {@code index}.
   *
   * @param index the last applied index
   * @param count how many entries this covers
   */
  record Applied(long index, int count) implements InternalMessage {}

  /**
   * The applier wrote a snapshot of the state machine.
   *
   * @param snapshot the snapshot
   * @param replyTo who asked for it, if anyone
   */
  record SnapshotTaken(StoredSnapshot snapshot, @Nullable ActorRef<RaftReply<Long>> replyTo)
      implements InternalMessage {}

  /**
   * A snapshot this peer took became durable (or failed); whoever waits for it is in {@code
   * PeerState.snapshotWaiters}.
   *
   * @param snapshot the snapshot
   * @param failure why it failed
   */
  record SnapshotSaved(StoredSnapshot snapshot, @Nullable Throwable failure)
      implements InternalMessage {}

  /**
   * A snapshot received from the leader became durable (or failed); the leader may now be told.
   *
   * @param lastIncludedIndex the snapshot's index
   * @param term the term it was received in
   * @param leaderId who sent it
   * @param size its length in bytes
   * @param correlationId the last chunk's correlation id
   * @param failure why it failed
   */
  record SnapshotInstalled(
      long lastIncludedIndex,
      long term,
      String leaderId,
      long size,
      long correlationId,
      @Nullable Throwable failure)
      implements InternalMessage {}
}
