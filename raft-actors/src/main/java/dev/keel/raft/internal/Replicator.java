package dev.keel.raft.internal;

import dev.keel.raft.PeerTransport;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftSettings;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.SnapshotMetadata;
import dev.keel.raft.persistence.StoredSnapshot;
import dev.keel.raft.protocol.RaftMessage.AppendEntries;
import dev.keel.raft.protocol.RaftMessage.AppendEntriesResult;
import dev.keel.raft.protocol.RaftMessage.InstallSnapshot;
import dev.keel.raft.protocol.RaftMessage.InstallSnapshotResult;
import dev.keel.raft.rules.ReadRounds;
import dev.keel.raft.rules.ReplicationProgress;
import java.util.Arrays;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.jspecify.annotations.Nullable;

/**
 * A leader's child actor for one follower, for one term: tracks the follower's progress, sends
 * AppendEntries in batches with several in flight, backs off on rejection using the follower's
 * hint, and sends heartbeats when idle. The log stays owned by the leader: the replicator asks it
 * for each batch ({@link InternalMessage.FetchEntries}), so no log is shared between threads.
 */
final class Replicator extends AbstractBehavior<Replicator.Command> {

  /** What a replicator accepts. */
  sealed interface Command {}

  /**
   * The leader's log grew.
   *
   * @param lastIndex the leader's last index
   */
  record LogAppended(long lastIndex) implements Command {}

  /**
   * Confirm leadership for a read round: answers to requests sent from now on confirm it.
   *
   * @param round the round
   */
  record ConfirmRound(long round) implements Command {}

  /**
   * The leader's answer to a fetch: what to send.
   *
   * @param fetchId the fetch it answers
   * @param prevLogIndex index before the entries
   * @param prevLogTerm term at prevLogIndex
   * @param entries entries to send, maybe none
   * @param leaderCommit the leader's commit index
   */
  record EntriesFetched(
      long fetchId, long prevLogIndex, long prevLogTerm, List<LogEntry> entries, long leaderCommit)
      implements Command {}

  /**
   * The follower's answer, forwarded by the leader.
   *
   * @param result the answer
   */
  record Answer(AppendEntriesResult result) implements Command {}

  /**
   * The leader's answer to a fetch when the entries are compacted away: send this snapshot.
   *
   * @param fetchId the fetch it answers
   * @param snapshot the leader's latest snapshot
   */
  record SnapshotNeeded(long fetchId, StoredSnapshot snapshot) implements Command {}

  /**
   * The follower's answer to a snapshot chunk, forwarded by the leader.
   *
   * @param result the answer
   */
  record SnapshotAnswer(InstallSnapshotResult result) implements Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  // Read rounds a replicator remembers for an unresponsive follower; see ReadRounds.
  private static final int MAX_PENDING_ROUNDS = 64;

  private final String followerId;
  private final String leaderId;
  private final long term;
  private final ActorRef<RaftPeer.Command> leader;
  private final PeerTransport transport;
  private final RaftSettings settings;
  private final ReplicationProgress progress;
  private final ReadRounds rounds = new ReadRounds(MAX_PENDING_ROUNDS);
  private long leaderLastIndex;
  private long nextCorrelationId = 1;
  private long fetchId;
  private boolean fetchInFlight;
  private boolean heartbeatDue = true; // assert leadership at once (§5.2)
  private boolean sentSinceTick;
  // The snapshot being sent, while the follower needs entries the leader compacted away.
  private @Nullable StoredSnapshot sending;
  private long snapshotOffset;
  private int ticksSinceChunk;

  private Replicator(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      String followerId,
      String leaderId,
      long term,
      long leaderLastIndex,
      ActorRef<RaftPeer.Command> leader,
      PeerTransport transport,
      RaftSettings settings) {
    super(ctx);
    this.followerId = followerId;
    this.leaderId = leaderId;
    this.term = term;
    this.leaderLastIndex = leaderLastIndex;
    this.leader = leader;
    this.transport = transport;
    this.settings = settings;
    this.progress = new ReplicationProgress(leaderLastIndex, settings.maxInflightAppends());
    timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.heartbeatInterval());
    trySend();
  }

  static Behavior<Command> create(
      String followerId,
      String leaderId,
      long term,
      long leaderLastIndex,
      ActorRef<RaftPeer.Command> leader,
      PeerTransport transport,
      RaftSettings settings) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers ->
                    new Replicator(
                        ctx,
                        timers,
                        followerId,
                        leaderId,
                        term,
                        leaderLastIndex,
                        leader,
                        transport,
                        settings)));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(LogAppended.class, this::onLogAppended)
        .onMessage(ConfirmRound.class, this::onConfirmRound)
        .onMessage(EntriesFetched.class, this::onFetched)
        .onMessage(Answer.class, this::onAnswer)
        .onMessage(SnapshotNeeded.class, this::onSnapshotNeeded)
        .onMessage(SnapshotAnswer.class, this::onSnapshotAnswer)
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .build();
  }

  private Behavior<Command> onLogAppended(LogAppended m) {
    leaderLastIndex = Math.max(leaderLastIndex, m.lastIndex());
    trySend();
    return this;
  }

  private Behavior<Command> onConfirmRound(ConfirmRound m) {
    rounds.started(m.round(), nextCorrelationId);
    heartbeatDue = true;
    trySend();
    return this;
  }

  private void trySend() {
    if (fetchInFlight || sending != null) {
      return;
    }
    boolean withEntries = progress.canSendEntries(leaderLastIndex);
    if (withEntries || heartbeatDue) {
      requestFetch(false, 0, 0, withEntries);
    }
  }

  private void requestFetch(
      boolean rejection, long conflictIndex, long conflictTerm, boolean withEntries) {
    fetchInFlight = true;
    fetchId++;
    leader.tell(
        new InternalMessage.FetchEntries(
            followerId,
            progress.nextIndex(),
            progress.matchIndex(),
            rejection,
            conflictIndex,
            conflictTerm,
            withEntries,
            fetchId,
            getContext().getSelf()));
  }

  private Behavior<Command> onFetched(EntriesFetched m) {
    if (m.fetchId() != fetchId || !fetchInFlight) {
      return this; // superseded by a reset
    }
    fetchInFlight = false;
    progress.resumeAt(m.prevLogIndex() + 1);
    long correlationId = nextCorrelationId++;
    transport.send(
        followerId,
        new AppendEntries(
            term,
            leaderId,
            m.prevLogIndex(),
            m.prevLogTerm(),
            m.entries(),
            m.leaderCommit(),
            correlationId));
    progress.sent(correlationId, m.prevLogIndex() + m.entries().size(), !m.entries().isEmpty());
    heartbeatDue = false;
    sentSinceTick = true;
    trySend();
    return this;
  }

  private Behavior<Command> onAnswer(Answer answer) {
    AppendEntriesResult r = answer.result();
    if (r.requestTerm() != term || r.correlationId() >= nextCorrelationId) {
      // Answers a request of an earlier leadership (whose correlation ids overlap ours), or one
      // never sent.
      return this;
    }
    long ackedRound = rounds.answered(r.correlationId());
    if (r.success()) {
      progress.succeeded(r.correlationId(), r.matchIndex());
    } else if (progress.rejected(r.correlationId(), nextCorrelationId)) {
      // The follower's log diverges before what we sent: ask the leader to resolve its hint.
      fetchId++; // drop any fetch in flight; it was computed from the old next index
      requestFetch(true, r.conflictIndex(), r.conflictTerm(), true);
    }
    leader.tell(
        new InternalMessage.FollowerProgress(followerId, term, progress.matchIndex(), ackedRound));
    trySend();
    return this;
  }

  private Behavior<Command> onSnapshotNeeded(SnapshotNeeded m) {
    if (m.fetchId() != fetchId || !fetchInFlight) {
      return this;
    }
    fetchInFlight = false;
    sending = m.snapshot();
    snapshotOffset = 0;
    getContext()
        .getLog()
        .info(
            "{}: sending snapshot up to {} ({} bytes) to {}",
            leaderId,
            m.snapshot().metadata().lastIncludedIndex(),
            m.snapshot().size(),
            followerId);
    sendChunk();
    return this;
  }

  /** Sends the chunk at the offset the follower wants; one chunk is in flight at a time. */
  private void sendChunk() {
    StoredSnapshot snapshot = sending;
    if (snapshot == null) {
      return;
    }
    int end = (int) Math.min(snapshot.size(), snapshotOffset + settings.snapshotChunkBytes());
    byte[] chunk = Arrays.copyOfRange(snapshot.data(), (int) snapshotOffset, end);
    SnapshotMetadata metadata = snapshot.metadata();
    transport.send(
        followerId,
        new InstallSnapshot(
            term,
            leaderId,
            metadata.lastIncludedIndex(),
            metadata.lastIncludedTerm(),
            metadata.members(),
            snapshotOffset,
            chunk,
            end == snapshot.size(),
            nextCorrelationId++));
    ticksSinceChunk = 0;
    sentSinceTick = true;
  }

  private Behavior<Command> onSnapshotAnswer(SnapshotAnswer answer) {
    InstallSnapshotResult r = answer.result();
    StoredSnapshot snapshot = sending;
    if (r.requestTerm() != term
        || r.correlationId() >= nextCorrelationId
        || snapshot == null
        || r.lastIncludedIndex() != snapshot.metadata().lastIncludedIndex()) {
      return this;
    }
    long ackedRound = rounds.answered(r.correlationId());
    if (r.done()) {
      sending = null;
      progress.snapshotInstalled(r.lastIncludedIndex());
      getContext().getLog().info("{}: {} installed the snapshot", leaderId, followerId);
    } else if (r.correlationId() == nextCorrelationId - 1 || r.nextOffset() != snapshotOffset) {
      // Answer to the latest chunk, or the follower wants another offset (a chunk was lost).
      snapshotOffset = Math.min(r.nextOffset(), snapshot.size());
      sendChunk();
    }
    leader.tell(
        new InternalMessage.FollowerProgress(followerId, term, progress.matchIndex(), ackedRound));
    trySend();
    return this;
  }

  private Behavior<Command> onTick() {
    if (sending != null) {
      if (++ticksSinceChunk >= settings.lostRequestTicks()) {
        sendChunk(); // the chunk or its answer was lost
      }
      return this;
    }
    if (progress.tick(settings.lostRequestTicks(), nextCorrelationId)) {
      getContext().getLog().debug("{}: requests to {} presumed lost", leaderId, followerId);
      fetchInFlight = false;
      fetchId++;
    }
    if (!sentSinceTick) {
      heartbeatDue = true;
    }
    sentSinceTick = false;
    trySend();
    return this;
  }
}
