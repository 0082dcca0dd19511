package dev.keel.raft.internal;

import dev.keel.raft.ApplyOutcome;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import dev.keel.raft.StateMachine;
import dev.keel.raft.persistence.EntryPayload;
import dev.keel.raft.persistence.LogEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

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

  private final StateMachine<Object, Object, Object> stateMachine;
  private final ActorRef<RaftPeer.Command> peer;
  private final int maxBatch;

  private Applier(
      ActorContext<Command> ctx,
      StateMachine<Object, Object, Object> stateMachine,
      ActorRef<RaftPeer.Command> peer,
      int maxBatch) {
    super(ctx);
    this.stateMachine = stateMachine;
    this.peer = peer;
    this.maxBatch = maxBatch;
  }

  static Behavior<Command> create(
      StateMachine<Object, Object, Object> stateMachine,
      ActorRef<RaftPeer.Command> peer,
      int maxBatch) {
    return Behaviors.setup(ctx -> new Applier(ctx, stateMachine, peer, maxBatch));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(ApplyEntries.class, this::onApply)
        .onMessage(RunQuery.class, this::onQuery)
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
    if (!entries.isEmpty()) {
      peer.tell(
          new InternalMessage.Applied(entries.get(entries.size() - 1).index(), entries.size()));
    }
    return this;
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
