package dev.keel.raft.internal;

import dev.keel.raft.EntrySizes;
import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftPeer.Command;
import dev.keel.raft.RaftReply;
import dev.keel.raft.persistence.EntryPayload;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.StoredSnapshot;
import dev.keel.raft.protocol.RaftMessage.AppendEntries;
import dev.keel.raft.protocol.RaftMessage.AppendEntriesResult;
import dev.keel.raft.protocol.RaftMessage.InstallSnapshot;
import dev.keel.raft.protocol.RaftMessage.InstallSnapshotResult;
import dev.keel.raft.rules.CommitRules;
import dev.keel.raft.rules.LogMatching;
import dev.keel.raft.rules.ReadIndexTracker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;

/**
 * The leader role: accepts writes, replicates through one {@link Replicator} child per follower,
 * commits by majority, serves linearizable reads by ReadIndex, and steps down when it loses touch
 * with a majority (check-quorum).
 */
final class Leader extends RoleBehavior {

  /** A linearizable read waiting for its leadership round. */
  private record ReadRequest(Object query, ActorRef<RaftReply<Object>> replyTo, long deadline) {}

  private final Map<String, ActorRef<Replicator.Command>> replicators = new HashMap<>();
  private final Map<String, Long> matchIndex = new LinkedHashMap<>();
  private final Set<String> heardSinceCheck = new HashSet<>();
  private final ReadIndexTracker<ReadRequest> reads;
  // Reads that arrived before this term's no-op committed: the leader's commit index may still
  // lag behind entries committed by earlier leaders (thesis §6.4, step 1).
  private final List<ReadRequest> readsAwaitingTermCommit = new ArrayList<>();
  private final long noOpIndex;
  // Invariant: every entry up to issuedIndex was handed to storage.
  private long issuedIndex;
  private boolean flushScheduled;
  private boolean roundWanted;

  private Leader(PeerState state) {
    super(state);
    s.leaderId = s.id;
    s.timers.cancel(InternalMessage.Signal.ELECTION_TIMEOUT);
    if (s.settings.checkQuorum()) {
      s.timers.startTimerWithFixedDelay(
          InternalMessage.Signal.CHECK_QUORUM,
          InternalMessage.Signal.CHECK_QUORUM,
          s.settings.electionTimeoutMax());
    }
    reads = new ReadIndexTracker<>(s.id, new HashSet<>(s.members));
    issuedIndex = s.raftLog.lastIndex();
    // Upon election, append a no-op so entries of earlier terms can commit (§5.4.2, §8).
    noOpIndex = appendEntry(EntryPayload.NoOp.INSTANCE);
    for (String follower : s.others) {
      matchIndex.put(follower, 0L);
      replicators.put(
          follower,
          s.ctx.spawn(
              Replicator.create(
                  follower,
                  s.id,
                  s.currentTerm,
                  // Start from the no-op: a follower in sync takes it with the first request.
                  noOpIndex - 1,
                  s.ctx.getSelf(),
                  s.transport,
                  s.settings),
              "replicator-" + follower + "-" + s.currentTerm));
    }
  }

  static Behavior<Command> start(PeerState state) {
    state.log.info("{}: CANDIDATE -> LEADER in term {}", state.id, state.currentTerm);
    return new Leader(state);
  }

  @Override
  PeerStatus.Role role() {
    return PeerStatus.Role.LEADER;
  }

  @Override
  boolean leaderLeaseHeld() {
    // With check-quorum the leader steps down once it loses its majority; until then it ignores
    // campaigns, like the followers that still hear from it.
    return s.settings.checkQuorum();
  }

  @Override
  void leave() {
    // Entries still waiting for the flush signal must reach storage like every other entry:
    // the log may keep them as a follower, and later writes must not leave a gap.
    if (s.raftLog.lastIndex() > issuedIndex) {
      s.persistEntries(s.raftLog.range(issuedIndex + 1, s.raftLog.lastIndex()));
      issuedIndex = s.raftLog.lastIndex();
    }
    for (ActorRef<Replicator.Command> replicator : replicators.values()) {
      s.ctx.stop(replicator);
    }
    replicators.clear();
    s.timers.cancel(InternalMessage.Signal.CHECK_QUORUM);
    for (ReadIndexTracker.PendingRead<ReadRequest> read : reads.drainAll()) {
      s.redirect(read.payload().replyTo());
    }
    for (ReadRequest read : readsAwaitingTermCommit) {
      s.redirect(read.replyTo());
    }
    readsAwaitingTermCommit.clear();
  }

  @Override
  Behavior<Command> onElectionTimeout() {
    return this; // a leader runs no election timer; a stale timer message is ignored
  }

  // ---- writes

  private long appendEntry(EntryPayload payload) {
    LogEntry entry = new LogEntry(s.raftLog.lastIndex() + 1, s.currentTerm, payload);
    s.raftLog.append(entry);
    scheduleFlush();
    return entry.index();
  }

  @Override
  @SuppressWarnings("unchecked") // the client's reply type is the state machine's result type
  Behavior<Command> onWrite(RaftPeer.Write<?, ?> m) {
    ActorRef<RaftReply<Object>> replyTo = (ActorRef<RaftReply<Object>>) (ActorRef<?>) m.replyTo();
    EntryPayload.UserCommand command;
    try {
      // Serialized once, here: the journal and the wire carry these bytes. A command that cannot
      // be serialized would fail every replica's storage, so it is refused alone, not proposed.
      command = s.codec.encode(m.command());
    } catch (CommandCodec.UnserializableCommandException e) {
      s.log.warn("{}: rejecting a write: {}", s.id, e.getMessage());
      replyTo.tell(new RaftReply.Rejected<>(String.valueOf(e.getMessage())));
      return this;
    }
    int size = EntrySizes.size(new LogEntry(s.raftLog.lastIndex() + 1, s.currentTerm, command));
    if (size > s.settings.maxBytesPerAppend()) {
      // Larger than any AppendEntries may be: it could never be replicated (over the network it
      // would not fit a frame). Refused alone, not proposed.
      replyTo.tell(
          new RaftReply.Rejected<>(
              "the command takes "
                  + size
                  + " bytes in the log, above keel.raft.max-bytes-per-append = "
                  + s.settings.maxBytesPerAppend()));
      return this;
    }
    long index = appendEntry(command);
    s.counters.proposals++;
    s.pendingWrites.add(new PendingWrites.PendingWrite(index, s.currentTerm, replyTo, deadline()));
    return this;
  }

  private long deadline() {
    return s.now() + s.settings.requestTimeout().toNanos();
  }

  /** Everything that arrives before the flush signal joins one storage write (group commit). */
  private void scheduleFlush() {
    if (!flushScheduled) {
      flushScheduled = true;
      s.ctx.getSelf().tell(InternalMessage.Signal.FLUSH);
    }
  }

  @Override
  Behavior<Command> onFlush() {
    flushScheduled = false;
    long lastIndex = s.raftLog.lastIndex();
    if (lastIndex > issuedIndex) {
      // The leader writes to its own storage in parallel with replication; it counts itself
      // toward a commit only up to its durable index.
      s.persistEntries(s.raftLog.range(issuedIndex + 1, lastIndex));
      issuedIndex = lastIndex;
      for (ActorRef<Replicator.Command> replicator : replicators.values()) {
        replicator.tell(new Replicator.LogAppended(lastIndex));
      }
    }
    if (roundWanted) {
      roundWanted = false;
      long round = reads.startRound();
      for (ActorRef<Replicator.Command> replicator : replicators.values()) {
        replicator.tell(new Replicator.ConfirmRound(round));
      }
      serve(reads.drainConfirmed());
    }
    return this;
  }

  @Override
  Behavior<Command> onDurable() {
    advanceCommit();
    return this;
  }

  private void advanceCommit() {
    List<Long> matches = new ArrayList<>(matchIndex.values());
    matches.add(s.durability.durableIndex());
    s.commitTo(CommitRules.leaderCommitIndex(s.raftLog, s.currentTerm, s.commitIndex, matches));
    if (s.commitIndex >= noOpIndex && !readsAwaitingTermCommit.isEmpty()) {
      readsAwaitingTermCommit.forEach(this::admitRead);
      readsAwaitingTermCommit.clear();
    }
  }

  // ---- reads

  @Override
  void onLinearizableRead(Object query, ActorRef<RaftReply<Object>> replyTo) {
    ReadRequest read = new ReadRequest(query, replyTo, deadline());
    if (s.commitIndex < noOpIndex) {
      readsAwaitingTermCommit.add(read);
    } else {
      admitRead(read);
    }
  }

  private void admitRead(ReadRequest read) {
    // The read index is the commit index now; a heartbeat round started after this proves we
    // were still leader at this moment (thesis §6.4).
    reads.add(reads.latestRound() + 1, s.commitIndex, read);
    roundWanted = true;
    scheduleFlush();
  }

  private void serve(List<ReadIndexTracker.PendingRead<ReadRequest>> confirmed) {
    for (ReadIndexTracker.PendingRead<ReadRequest> read : confirmed) {
      // Apply is dispatched up to the commit index, and the applier's mailbox is ordered, so
      // the query runs after every entry up to the read index.
      s.applier.tell(
          new Applier.RunQuery(read.payload().query(), read.readIndex(), read.payload().replyTo()));
    }
  }

  @Override
  Behavior<Command> onSweep() {
    s.expireWrites();
    long now = s.now();
    for (ReadIndexTracker.PendingRead<ReadRequest> read :
        reads.removeIf(r -> now - r.deadline() >= 0)) {
      read.payload().replyTo().tell(new RaftReply.TimedOut<>());
    }
    readsAwaitingTermCommit.removeIf(
        read -> {
          boolean expired = now - read.deadline() >= 0;
          if (expired) {
            read.replyTo().tell(new RaftReply.TimedOut<>());
          }
          return expired;
        });
    return this;
  }

  // ---- replication

  @Override
  Behavior<Command> onAppendEntries(AppendEntries m) {
    if (m.term() == s.currentTerm) {
      // Election safety says this cannot happen; refuse rather than follow a second leader.
      s.log.error("{}: AppendEntries from {} in my own term {}", s.id, m.leaderId(), m.term());
      s.transport.send(
          m.leaderId(),
          new AppendEntriesResult(
              s.currentTerm, s.id, false, 0, 0, 0, m.term(), m.correlationId()));
      return this;
    }
    return super.onAppendEntries(m);
  }

  @Override
  Behavior<Command> onInstallSnapshot(InstallSnapshot m) {
    if (m.term() == s.currentTerm) {
      // As for AppendEntries: a second leader of our term cannot exist; never follow it.
      s.log.error("{}: InstallSnapshot from {} in my own term {}", s.id, m.leaderId(), m.term());
      s.transport.send(
          m.leaderId(),
          new InstallSnapshotResult(
              s.currentTerm, s.id, m.lastIncludedIndex(), 0, false, m.term(), m.correlationId()));
      return this;
    }
    return super.onInstallSnapshot(m);
  }

  @Override
  Behavior<Command> onAppendEntriesResult(AppendEntriesResult m) {
    if (m.term() > s.currentTerm) {
      s.log.info("{}: follower {} is in term {}, stepping down", s.id, m.followerId(), m.term());
      return stepDown(m.term());
    }
    ActorRef<Replicator.Command> replicator = replicators.get(m.followerId());
    if (replicator != null) {
      replicator.tell(new Replicator.Answer(m));
    }
    return this;
  }

  @Override
  Behavior<Command> onInstallSnapshotResult(InstallSnapshotResult m) {
    if (m.term() > s.currentTerm) {
      return stepDown(m.term());
    }
    ActorRef<Replicator.Command> replicator = replicators.get(m.followerId());
    if (replicator != null) {
      replicator.tell(new Replicator.SnapshotAnswer(m));
    }
    return this;
  }

  @Override
  Behavior<Command> onFetchEntries(InternalMessage.FetchEntries m) {
    long lastIndex = s.raftLog.lastIndex();
    long next =
        m.rejection()
            ? LogMatching.nextIndexAfterRejection(
                s.raftLog, m.conflictIndex(), m.conflictTerm(), m.matchIndex())
            : m.nextIndex();
    next = Math.max(1, Math.min(next, lastIndex + 1));
    StoredSnapshot snapshot = s.latestSnapshot;
    if (next - 1 < s.raftLog.baseIndex() && snapshot != null) {
      // The follower needs entries a snapshot replaced: send the snapshot instead (§7).
      m.replyTo().tell(new Replicator.SnapshotNeeded(m.fetchId(), snapshot));
      return this;
    }
    List<LogEntry> entries =
        m.withEntries()
            ? s.raftLog.slice(
                next,
                s.settings.maxEntriesPerAppend(),
                s.settings.maxBytesPerAppend(),
                EntrySizes::size)
            : List.of();
    m.replyTo()
        .tell(
            new Replicator.EntriesFetched(
                m.fetchId(), next - 1, s.raftLog.termAt(next - 1), entries, s.commitIndex));
    return this;
  }

  @Override
  Behavior<Command> onFollowerProgress(InternalMessage.FollowerProgress m) {
    if (m.term() != s.currentTerm || !matchIndex.containsKey(m.followerId())) {
      return this;
    }
    heardSinceCheck.add(m.followerId());
    if (m.matchIndex() > matchIndex.get(m.followerId())) {
      matchIndex.put(m.followerId(), m.matchIndex());
      advanceCommit();
    }
    if (m.ackedRound() > 0) {
      serve(reads.acknowledged(m.followerId(), m.ackedRound()));
    }
    return this;
  }

  @Override
  Behavior<Command> onCheckQuorum() {
    int heard = heardSinceCheck.size() + 1;
    heardSinceCheck.clear();
    if (heard < s.quorumSize()) {
      // A leader cut off from its majority cannot commit; stepping down lets its clients look
      // for the real leader instead of waiting (thesis §6.2).
      s.log.warn(
          "{}: heard from {} of {} members within an election timeout; stepping down",
          s.id,
          heard,
          s.members.size());
      s.leaderId = null;
      return stepDown(s.currentTerm);
    }
    return this;
  }

  @Override
  Map<String, Long> followerMatchIndex() {
    return Map.copyOf(matchIndex);
  }
}
