package dev.keel.raft.internal;

import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftPeer.Command;
import dev.keel.raft.RaftReply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.jspecify.annotations.Nullable;

/**
 * A peer on its way out, after {@link RaftPeer.Stop}, a storage failure or a state machine failure.
 * It takes part in Raft no more (no votes, no acknowledgements, no heartbeats), answers every
 * request it still holds and every new one, lets a healthy applier finish the committed entries it
 * was sent (their writes get real answers), and stops once the applier stopped, or after the
 * request timeout at the latest.
 */
final class Stopping extends AbstractBehavior<Command> {

  private final PeerState s;
  private final List<ActorRef<Done>> stopWaiters = new ArrayList<>();

  private Stopping(PeerState state) {
    super(state.ctx);
    this.s = state;
  }

  /**
   * Stops the peer. The role must have left already (replicators stopped, reads answered).
   *
   * @param state the peer
   * @param applierAlive whether the applier still runs and can finish what it was sent
   * @param requester who asked for the stop, if anyone
   */
  static Behavior<Command> start(
      PeerState state, boolean applierAlive, @Nullable ActorRef<Done> requester) {
    Stopping stopping = new Stopping(state);
    if (requester != null) {
      stopping.stopWaiters.add(requester);
    }
    state.timers.cancelAll();
    // Not yet committed, so not yet applied: the outcome is unknown.
    for (PendingWrites.PendingWrite write : state.pendingWrites.takeUpTo(Long.MAX_VALUE)) {
      write.replyTo().tell(new RaftReply.TimedOut<>());
    }
    for (ActorRef<RaftReply<Long>> waiter : state.snapshotWaiters) {
      waiter.tell(new RaftReply.Rejected<>("the peer is stopping"));
    }
    state.snapshotWaiters.clear();
    if (!applierAlive) {
      return stopping.finish(false);
    }
    state.applier.tell(Applier.Drain.INSTANCE);
    state.timers.startSingleTimer(
        InternalMessage.Signal.STOP_DEADLINE,
        InternalMessage.Signal.STOP_DEADLINE,
        state.settings.requestTimeout());
    return stopping;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(RaftPeer.Write.class, this::onWrite)
        .onMessage(RaftPeer.Read.class, this::onRead)
        .onMessage(RaftPeer.TakeSnapshot.class, this::onTakeSnapshot)
        .onMessage(RaftPeer.GetStatus.class, this::onGetStatus)
        .onMessage(RaftPeer.Stop.class, this::onStop)
        .onMessage(InternalMessage.Applied.class, this::onApplied)
        // It drained: it answered every write it was sent before it stopped.
        .onMessageEquals(InternalMessage.Signal.APPLIER_STOPPED, () -> finish(true))
        .onMessageEquals(InternalMessage.Signal.STOP_DEADLINE, this::onDeadline)
        // Raft messages, storage callbacks, timers: a stopping peer takes part in nothing.
        .onAnyMessage(m -> this)
        .build();
  }

  private Behavior<Command> onWrite(RaftPeer.Write<?, ?> m) {
    return noLeader(m.replyTo());
  }

  private Behavior<Command> onRead(RaftPeer.Read<?, ?> m) {
    return noLeader(m.replyTo());
  }

  @SuppressWarnings("unchecked") // any RaftReply type: NoLeader carries no result
  private Behavior<Command> noLeader(ActorRef<?> replyTo) {
    ((ActorRef<RaftReply<Object>>) replyTo).tell(new RaftReply.NoLeader<>());
    return this;
  }

  private Behavior<Command> onTakeSnapshot(RaftPeer.TakeSnapshot m) {
    m.replyTo().tell(new RaftReply.Rejected<>("the peer is stopping"));
    return this;
  }

  private Behavior<Command> onGetStatus(RaftPeer.GetStatus m) {
    m.replyTo().tell(s.status(PeerStatus.Role.FOLLOWER, Map.of()));
    return this;
  }

  private Behavior<Command> onStop(RaftPeer.Stop m) {
    stopWaiters.add(m.replyTo());
    return this;
  }

  private Behavior<Command> onApplied(InternalMessage.Applied m) {
    s.applied(m.index(), m.count());
    return this;
  }

  private Behavior<Command> onDeadline() {
    s.log.warn("{}: the state machine did not finish within the request timeout; stopping", s.id);
    return finish(false);
  }

  private Behavior<Command> finish(boolean applierAnsweredDispatched) {
    if (applierAnsweredDispatched) {
      s.dispatchedWrites.takeUpTo(Long.MAX_VALUE);
    } else {
      // Committed, maybe applied, but the applier cannot tell: the result is unknown.
      s.abandonDispatchedWrites();
    }
    s.log.info("{}: stopped in term {}", s.id, s.currentTerm);
    for (ActorRef<Done> waiter : stopWaiters) {
      waiter.tell(Done.getInstance());
    }
    return Behaviors.stopped();
  }
}
