package dev.keel.raft.internal;

import dev.keel.raft.ApplyOutcome;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import dev.keel.raft.StateMachine;
import dev.keel.raft.persistence.EntryPayload;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.SnapshotMetadata;
import dev.keel.raft.persistence.StoredSnapshot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.jspecify.annotations.Nullable;

/**
 * Child actor that owns the user's state machine. Applying in a separate actor keeps a slow state
 * machine from delaying heartbeats and votes; one mailbox serializes every call, and a query sent
 * after an apply batch sees that batch.
 */
final class Applier extends AbstractBehavior<Applier.Command> {

  /** What the applier accepts. */
  sealed interface Command {}

  /**
   * Committed entries to apply, in order, without gaps.
   *
   * @param entries the entries
   * @param waiters clients to answer, by entry index
   */
  record ApplyEntries(List<LogEntry> entries, Map<Long, ActorRef<RaftReply<Object>>> waiters)
      implements Command {}

  /**
   * A query to run on the state as applied so far.
   *
   * @param query the query
   * @param index reported in the answer: the index the read reflects
   * @param replyTo the client
   */
  record RunQuery(Object query, long index, ActorRef<RaftReply<Object>> replyTo)
      implements Command {}

  /**
   * Replace the state by a snapshot installed from the leader.
   *
   * @param snapshot the snapshot
   */
  record Restore(StoredSnapshot snapshot) implements Command {}

  /**
   * Snapshot the state machine now.
   *
   * @param replyTo who asked
   */
  record SnapshotNow(@Nullable ActorRef<Long> replyTo) implements Command {}

  private final StateMachine<Object, Object, Object> stateMachine;
  private final ActorRef<RaftPeer.Command> peer;
  private final int maxBatch;
  private final long snapshotEvery;
  private final List<String> members;
  private long lastAppliedIndex;
  private long lastAppliedTerm;
  private long appliedSinceSnapshot;

  private Applier(ActorContext<Command> ctx, Setup setup) {
    super(ctx);
    this.stateMachine = setup.stateMachine();
    this.peer = setup.peer();
    this.maxBatch = setup.maxBatch();
    this.snapshotEvery = setup.snapshotEvery();
    this.members = setup.members();
    StoredSnapshot initial = setup.initial();
    if (initial != null) {
      restore(initial);
    }
  }

  /**
   * What an applier is made of.
   *
   * @param stateMachine the user's state machine, fresh
   * @param peer the owning peer
   * @param maxBatch most commands per applyBatch
   * @param snapshotEvery snapshot after this many applied entries; 0 never
   * @param members the voting members, recorded in snapshots
   * @param initial a recovered snapshot to start from, or null
   */
  record Setup(
      StateMachine<Object, Object, Object> stateMachine,
      ActorRef<RaftPeer.Command> peer,
      int maxBatch,
      long snapshotEvery,
      List<String> members,
      @Nullable StoredSnapshot initial) {}

  static Behavior<Command> create(Setup setup) {
    return Behaviors.setup(ctx -> new Applier(ctx, setup));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(ApplyEntries.class, this::onApply)
        .onMessage(RunQuery.class, this::onQuery)
        .onMessage(Restore.class, this::onRestore)
        .onMessage(SnapshotNow.class, m -> snapshot(m.replyTo()))
        .build();
  }

  private Behavior<Command> onApply(ApplyEntries msg) {
    List<LogEntry> batch = new ArrayList<>(Math.min(msg.entries().size(), maxBatch));
    for (LogEntry entry : msg.entries()) {
      if (entry.payload() instanceof EntryPayload.UserCommand) {
        batch.add(entry);
        if (batch.size() == maxBatch) {
          applyBatch(batch, msg.waiters());
          batch.clear();
        }
      }
    }
    applyBatch(batch, msg.waiters());
    List<LogEntry> entries = msg.entries();
    if (entries.isEmpty()) {
      return this;
    }
    LogEntry last = entries.get(entries.size() - 1);
    lastAppliedIndex = last.index();
    lastAppliedTerm = last.term();
    appliedSinceSnapshot += entries.size();
    peer.tell(new InternalMessage.Applied(last.index(), entries.size()));
    if (snapshotEvery > 0 && appliedSinceSnapshot >= snapshotEvery) {
      return snapshot(null);
    }
    return this;
  }

  private Behavior<Command> snapshot(@Nullable ActorRef<Long> replyTo) {
    if (lastAppliedIndex == 0) {
      if (replyTo != null) {
        replyTo.tell(0L);
      }
      return this;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      stateMachine.snapshot(out);
    } catch (IOException | RuntimeException e) {
      // No snapshot this time; the log keeps growing until one succeeds.
      getContext().getLog().error("state machine snapshot at {} failed", lastAppliedIndex, e);
      return this;
    }
    appliedSinceSnapshot = 0;
    SnapshotMetadata metadata = new SnapshotMetadata(lastAppliedIndex, lastAppliedTerm, members);
    peer.tell(
        new InternalMessage.SnapshotTaken(
            new StoredSnapshot(metadata, out.toByteArray()), replyTo));
    return this;
  }

  private Behavior<Command> onRestore(Restore msg) {
    restore(msg.snapshot());
    peer.tell(new InternalMessage.Applied(lastAppliedIndex, 0));
    return this;
  }

  private void restore(StoredSnapshot snapshot) {
    try {
      stateMachine.restore(new ByteArrayInputStream(snapshot.data()));
    } catch (IOException e) {
      // The snapshot's checksum was verified by storage or it came whole from the leader: a
      // state machine that cannot read it cannot continue safely.
      throw new IllegalStateException(
          "state machine cannot restore snapshot " + snapshot.metadata(), e);
    }
    lastAppliedIndex = snapshot.metadata().lastIncludedIndex();
    lastAppliedTerm = snapshot.metadata().lastIncludedTerm();
    appliedSinceSnapshot = 0;
  }

  private void applyBatch(List<LogEntry> batch, Map<Long, ActorRef<RaftReply<Object>>> waiters) {
    if (batch.isEmpty()) {
      return;
    }
    List<Object> commands = new ArrayList<>(batch.size());
    for (LogEntry entry : batch) {
      commands.add(((EntryPayload.UserCommand) entry.payload()).command());
    }
    List<ApplyOutcome<Object>> outcomes = applyAll(commands);
    for (int i = 0; i < batch.size(); i++) {
      ActorRef<RaftReply<Object>> waiter = waiters.get(batch.get(i).index());
      if (waiter != null) {
        waiter.tell(toReply(outcomes.get(i), batch.get(i).index()));
      }
    }
  }

  private List<ApplyOutcome<Object>> applyAll(List<Object> commands) {
    List<ApplyOutcome<Object>> outcomes;
    try {
      outcomes = stateMachine.applyBatch(commands);
    } catch (RuntimeException e) {
      // An applyBatch override is expected to catch per command; if it throws anyway, the
      // failure is as deterministic as the state machine, so every replica records the same.
      getContext().getLog().error("applyBatch threw; failing the whole batch", e);
      outcomes = new ArrayList<>();
      for (int i = 0; i < commands.size(); i++) {
        outcomes.add(new ApplyOutcome.Failed<>(e.toString()));
      }
    }
    if (outcomes.size() != commands.size()) {
      throw new IllegalStateException(
          "applyBatch returned " + outcomes.size() + " outcomes for " + commands.size());
    }
    return outcomes;
  }

  private static RaftReply<Object> toReply(ApplyOutcome<Object> outcome, long index) {
    if (outcome instanceof ApplyOutcome.Applied<Object> applied) {
      return new RaftReply.Ok<>(applied.result(), index);
    }
    return new RaftReply.Rejected<>(((ApplyOutcome.Failed<Object>) outcome).reason());
  }

  private Behavior<Command> onQuery(RunQuery msg) {
    RaftReply<Object> reply;
    try {
      reply = new RaftReply.Ok<>(stateMachine.query(msg.query()), msg.index());
    } catch (Exception e) {
      reply = new RaftReply.Rejected<>(e.toString());
    }
    msg.replyTo().tell(reply);
    return this;
  }
}
