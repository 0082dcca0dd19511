package dev.keel.raft.internal;

import dev.keel.raft.PeerMetrics;
import dev.keel.raft.PeerStatus;
import dev.keel.raft.PeerTransport;
import dev.keel.raft.RaftClock;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import dev.keel.raft.RaftSettings;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.RaftStorage;
import dev.keel.raft.persistence.RecoveredState;
import dev.keel.raft.persistence.SnapshotMetadata;
import dev.keel.raft.persistence.StoredSnapshot;
import dev.keel.raft.persistence.TermAndVote;
import dev.keel.raft.rules.DurabilityTracker;
import dev.keel.raft.rules.RaftLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The state of a peer that outlives any one role: persistent term, vote and log, volatile commit
 * and apply progress, waiting client writes, counters. One instance is handed from role behavior to
 * role behavior; only the peer's actor touches it.
 */
final class PeerState {

  final String id;
  final List<String> members;
  final List<String> others;
  final RaftSettings settings;
  final PeerTransport transport;
  final RaftStorage storage;
  final RaftClock clock;
  final RandomGenerator random;
  final CommandCodec codec;
  final ActorContext<RaftPeer.Command> ctx;
  final TimerScheduler<RaftPeer.Command> timers;
  final ActorRef<Applier.Command> applier;
  final Logger log;

  // Persistent state on all servers (Figure 2); written through storage before it is relied on.
  long currentTerm;
  @Nullable String votedFor;
  final RaftLog raftLog;
  final DurabilityTracker durability;

  // Volatile state. Invariant: lastApplied <= applyDispatchedIndex <= commitIndex <= last index.
  long commitIndex;
  long applyDispatchedIndex;
  long lastApplied;
  @Nullable String leaderId;
  // The newest durable snapshot; what a follower behind the compacted log is sent.
  @Nullable StoredSnapshot latestSnapshot;
  long lastLeaderContactNanos;
  // Correlation ids of this peer's vote requests; answers echo them (see RaftMessage).
  long nextCorrelationId = 1;
  // Index of the snapshot of our own state machine being saved, 0 if none, and who waits for it.
  long snapshotInFlightIndex;
  final List<ActorRef<RaftReply<Long>>> snapshotWaiters = new ArrayList<>();

  // Writes waiting for their entry to commit; those handed to the applier with their entries.
  final PendingWrites pendingWrites = new PendingWrites();
  final PendingWrites dispatchedWrites = new PendingWrites();
  final Counters counters = new Counters();

  /** Plain counters; exposed as {@link PeerMetrics}. */
  static final class Counters {
    long electionsStarted;
    long electionsWon;
    long proposals;
    long commits;
    long applied;
  }

  PeerState(
      RaftPeer.Setup<?, ?, ?> setup,
      ActorContext<RaftPeer.Command> ctx,
      TimerScheduler<RaftPeer.Command> timers,
      ActorRef<Applier.Command> applier,
      RecoveredState recovered) {
    this.id = setup.id();
    this.members = setup.members();
    this.others = members.stream().filter(m -> !m.equals(id)).toList();
    this.settings = setup.settings();
    this.transport = setup.transport();
    this.storage = setup.storage();
    this.clock = setup.clock();
    this.random = setup.random();
    this.codec = new CommandCodec(ctx.getSystem());
    this.ctx = ctx;
    this.timers = timers;
    this.applier = applier;
    this.log = ctx.getLog();
    this.currentTerm = recovered.termAndVote().term();
    this.votedFor = recovered.termAndVote().votedFor();
    StoredSnapshot snapshot = recovered.snapshot();
    this.latestSnapshot = snapshot;
    if (snapshot == null) {
      this.raftLog = RaftLog.of(recovered.entries());
    } else {
      // A snapshot holds only committed state, already restored into the state machine.
      SnapshotMetadata covered = snapshot.metadata();
      this.raftLog =
          RaftLog.of(covered.lastIncludedIndex(), covered.lastIncludedTerm(), recovered.entries());
      this.commitIndex = covered.lastIncludedIndex();
      this.applyDispatchedIndex = covered.lastIncludedIndex();
      this.lastApplied = covered.lastIncludedIndex();
    }
    this.durability = new DurabilityTracker(raftLog.lastIndex());
  }

  long now() {
    return clock.nanoTime();
  }

  /** A fresh random election timeout in [min, max] (§5.2). */
  Duration randomElectionTimeout() {
    long min = settings.electionTimeoutMin().toMillis();
    long max = settings.electionTimeoutMax().toMillis();
    return Duration.ofMillis(max > min ? random.nextLong(min, max + 1) : min);
  }

  boolean leaderRecentlySeen() {
    return leaderId != null
        && now() - lastLeaderContactNanos < settings.electionTimeoutMin().toNanos();
  }

  int quorumSize() {
    return members.size() / 2 + 1;
  }

  /** Adopts a newer term, forgetting the vote and the leader (§5.1); persist afterwards. */
  void adoptTerm(long term) {
    if (term <= currentTerm) {
      throw new IllegalArgumentException("term " + term + " is not above " + currentTerm);
    }
    log.info("{}: term {} -> {}", id, currentTerm, term);
    currentTerm = term;
    votedFor = null;
    leaderId = null;
  }

  /** Persists term and vote; {@code answer}, if any, is sent once durable. */
  void persistTermAndVote(InternalMessage.@Nullable VoteAnswer answer) {
    long term = currentTerm;
    ctx.pipeToSelf(
        storage.saveTermAndVote(new TermAndVote(term, votedFor)),
        (ok, failure) -> new InternalMessage.TermPersisted(term, answer, failure));
  }

  /** Appends entries to storage; the log must already hold them. */
  void persistEntries(List<LogEntry> entries) {
    long seq = durability.issued(entries.get(entries.size() - 1).index());
    ctx.pipeToSelf(
        storage.appendEntries(entries),
        (ok, failure) -> new InternalMessage.EntriesPersisted(seq, failure));
  }

  /**
   * Removes log entries from {@code index} on, a conflicting suffix a new leader replaces (§5.3).
   * The writes those entries carried have an unknown outcome, not "not proposed": they were not
   * committed through this peer, but another peer may hold them and commit them as leader of a
   * later term. So their clients get {@link RaftReply.TimedOut}.
   */
  void truncateLogFrom(long index) {
    log.info("{}: truncating conflicting log suffix from index {}", id, index);
    raftLog.truncateFrom(index);
    durability.truncated(index - 1);
    for (PendingWrites.PendingWrite write : pendingWrites.takeFrom(index)) {
      write.replyTo().tell(new RaftReply.TimedOut<>());
    }
  }

  /** Raises the commit index and hands newly committed entries to the applier. */
  void commitTo(long index) {
    if (index <= commitIndex) {
      return;
    }
    counters.commits += index - commitIndex;
    commitIndex = index;
    dispatchApply();
  }

  private void dispatchApply() {
    if (applyDispatchedIndex >= commitIndex) {
      return;
    }
    List<LogEntry> entries = raftLog.range(applyDispatchedIndex + 1, commitIndex);
    Map<Long, ActorRef<RaftReply<Object>>> waiters = new HashMap<>();
    for (PendingWrites.PendingWrite write : pendingWrites.takeUpTo(commitIndex)) {
      if (raftLog.termAt(write.index()) == write.term()) {
        waiters.put(write.index(), write.replyTo());
        dispatchedWrites.add(write);
      } else {
        // Another entry is committed at its index, so this one never will be: not proposed.
        redirect(write.replyTo());
      }
    }
    applyDispatchedIndex = commitIndex;
    applier.tell(new Applier.ApplyEntries(entries, waiters));
  }

  /** Answers a request this peer cannot serve: not the leader, with a hint if it knows one. */
  <R> void redirect(ActorRef<RaftReply<R>> replyTo) {
    String leader = leaderId;
    if (leader == null || leader.equals(id)) {
      replyTo.tell(new RaftReply.NoLeader<>());
    } else {
      replyTo.tell(new RaftReply.NotLeader<>(leader, transport.resolve(leader)));
    }
  }

  /** Records that the applier applied and answered everything up to {@code index}. */
  void applied(long index, int count) {
    lastApplied = Math.max(lastApplied, index);
    counters.applied += count;
    dispatchedWrites.takeUpTo(index);
  }

  /**
   * Answers the writes handed to the applier that it has not reported applied: committed, but their
   * result is unknown to a peer whose applier can no longer tell. For a peer that stops.
   */
  void abandonDispatchedWrites() {
    for (PendingWrites.PendingWrite write : dispatchedWrites.takeUpTo(Long.MAX_VALUE)) {
      write.replyTo().tell(new RaftReply.TimedOut<>());
    }
  }

  /** Answers the writes whose deadline passed: their outcome is unknown. */
  void expireWrites() {
    for (PendingWrites.PendingWrite write : pendingWrites.takeExpired(now())) {
      write.replyTo().tell(new RaftReply.TimedOut<>());
    }
  }

  PeerStatus status(PeerStatus.Role role, Map<String, Long> followerMatchIndex) {
    return new PeerStatus(
        id,
        role,
        currentTerm,
        leaderId,
        commitIndex,
        lastApplied,
        raftLog.lastIndex(),
        members,
        followerMatchIndex,
        new PeerMetrics(
            counters.electionsStarted,
            counters.electionsWon,
            counters.proposals,
            counters.commits,
            counters.applied,
            currentTerm));
  }
}
