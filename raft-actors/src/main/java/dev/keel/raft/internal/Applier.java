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
import java.io.NotSerializableException;
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
 *
 * <p>When the state machine fails in a way that leaves its state undefined (anything escaping
 * {@code applyBatch} or {@code restore}, a wrong number of outcomes, a committed command no
 * serializer can read), the applier tells the peer and turns into {@link FailedApplier}, which
 * answers every request still reaching it, so no client waits for an answer that never comes. It
 * stops when the peer sends {@link Drain}, after everything sent before.
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
  record SnapshotNow(@Nullable ActorRef<RaftReply<Long>> replyTo) implements Command {}

  /** The peer is stopping: finish what was sent before, then stop. */
  enum Drain implements Command {
    INSTANCE
  }

  private final StateMachine<Object, Object, Object> stateMachine;
  private final ActorRef<RaftPeer.Command> peer;
  private final CommandCodec codec;
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
    this.codec = new CommandCodec(ctx.getSystem());
    this.maxBatch = setup.maxBatch();
    this.snapshotEvery = setup.snapshotEvery();
    this.members = setup.members();
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
    return Behaviors.setup(
        ctx -> {
          Applier applier = new Applier(ctx, setup);
          StoredSnapshot initial = setup.initial();
          if (initial == null) {
            return applier;
          }
          return applier.guarded(() -> applier.restore(initial));
        });
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(ApplyEntries.class, this::guardedApply)
        .onMessage(RunQuery.class, this::onQuery)
        .onMessage(Restore.class, m -> guarded(() -> onRestore(m)))
        .onMessage(SnapshotNow.class, m -> guarded(() -> snapshot(m.replyTo())))
        .onMessageEquals(Drain.INSTANCE, Behaviors::stopped)
        .build();
  }

  /** A step that may fail the state machine; runs {@code step} and returns this applier. */
  private interface Step {
    void run() throws Exception;
  }

  private Behavior<Command> guarded(Step step) {
    try {
      step.run();
      return this;
    } catch (Throwable failure) { // an Error from user code must not kill the actor silently
      return fail(failure);
    }
  }

  private Behavior<Command> guardedApply(ApplyEntries msg) {
    Behavior<Command> next = guarded(() -> onApply(msg));
    if (next != this) {
      // The batch failed midway: its clients whose entries were not answered get TimedOut.
      for (Map.Entry<Long, ActorRef<RaftReply<Object>>> waiter : msg.waiters().entrySet()) {
        if (waiter.getKey() > lastAppliedIndex) {
          waiter.getValue().tell(new RaftReply.TimedOut<>());
        }
      }
    }
    return next;
  }

  private Behavior<Command> fail(Throwable failure) {
    getContext()
        .getLog()
        .error("state machine failed after index {}; the peer stops", lastAppliedIndex, failure);
    peer.tell(new InternalMessage.ApplierFailed(failure));
    return FailedApplier.create(failure);
  }

  private void onApply(ApplyEntries msg) throws NotSerializableException {
    List<LogEntry> entries = msg.entries();
    List<LogEntry> batch = new ArrayList<>(Math.min(entries.size(), maxBatch));
    for (LogEntry entry : entries) {
      if (entry.payload() instanceof EntryPayload.UserCommand) {
        batch.add(entry);
        if (batch.size() == maxBatch) {
          applyBatch(batch, msg.waiters());
          batch.clear();
        }
      } else if (batch.isEmpty()) {
        advanceTo(entry);
      }
    }
    applyBatch(batch, msg.waiters());
    if (entries.isEmpty()) {
      return;
    }
    LogEntry last = entries.get(entries.size() - 1);
    advanceTo(last);
    appliedSinceSnapshot += entries.size();
    peer.tell(new InternalMessage.Applied(last.index(), entries.size()));
    if (snapshotEvery > 0 && appliedSinceSnapshot >= snapshotEvery) {
      snapshot(null);
    }
  }

  private void advanceTo(LogEntry entry) {
    lastAppliedIndex = entry.index();
    lastAppliedTerm = entry.term();
  }

  private void snapshot(@Nullable ActorRef<RaftReply<Long>> replyTo) {
    if (lastAppliedIndex == 0) {
      if (replyTo != null) {
        replyTo.tell(new RaftReply.Ok<>(0L, 0));
      }
      return;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      stateMachine.snapshot(out);
    } catch (IOException | RuntimeException e) {
      // No snapshot this time; the log keeps growing until one succeeds.
      getContext().getLog().error("state machine snapshot at {} failed", lastAppliedIndex, e);
      if (replyTo != null) {
        replyTo.tell(new RaftReply.Rejected<>("the state machine's snapshot failed: " + e));
      }
      return;
    }
    appliedSinceSnapshot = 0;
    SnapshotMetadata metadata = new SnapshotMetadata(lastAppliedIndex, lastAppliedTerm, members);
    peer.tell(
        new InternalMessage.SnapshotTaken(
            new StoredSnapshot(metadata, out.toByteArray()), replyTo));
  }

  private void onRestore(Restore msg) throws IOException {
    restore(msg.snapshot());
    peer.tell(new InternalMessage.Applied(lastAppliedIndex, 0));
  }

  private void restore(StoredSnapshot snapshot) throws IOException {
    // The snapshot's checksum was verified by storage or it came whole from the leader: a state
    // machine that cannot read it cannot continue safely, so a failure fails the applier.
    stateMachine.restore(new ByteArrayInputStream(snapshot.data()));
    lastAppliedIndex = snapshot.metadata().lastIncludedIndex();
    lastAppliedTerm = snapshot.metadata().lastIncludedTerm();
    appliedSinceSnapshot = 0;
  }

  private void applyBatch(List<LogEntry> batch, Map<Long, ActorRef<RaftReply<Object>>> waiters)
      throws NotSerializableException {
    if (batch.isEmpty()) {
      return;
    }
    List<Object> commands = new ArrayList<>(batch.size());
    for (LogEntry entry : batch) {
      commands.add(decode(entry));
    }
    List<ApplyOutcome<Object>> outcomes = stateMachine.applyBatch(commands);
    if (outcomes.size() != commands.size()) {
      throw new IllegalStateException(
          "applyBatch returned " + outcomes.size() + " outcomes for " + commands.size());
    }
    for (int i = 0; i < batch.size(); i++) {
      LogEntry entry = batch.get(i);
      advanceTo(entry);
      ActorRef<RaftReply<Object>> waiter = waiters.get(entry.index());
      if (waiter != null) {
        waiter.tell(toReply(outcomes.get(i), entry.index()));
      }
    }
  }

  private Object decode(LogEntry entry) throws NotSerializableException {
    try {
      return codec.decode((EntryPayload.UserCommand) entry.payload());
    } catch (NotSerializableException e) {
      // Every replica must apply every committed command: skipping one would diverge. A node
      // that cannot read one is misconfigured (serialization bindings or registrations differ).
      NotSerializableException failure =
          new NotSerializableException(
              "cannot read the committed command at index "
                  + entry.index()
                  + " ("
                  + e.getMessage()
                  + "); check that serialization-bindings and keel.serialization.kryo"
                  + ".registrations are identical on every node");
      failure.initCause(e);
      throw failure;
    }
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
