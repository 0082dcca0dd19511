package dev.keel.raft.internal;

import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftPeer.Command;
import dev.keel.raft.StateMachine;
import dev.keel.raft.persistence.RecoveredState;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Starts a peer: recovers its durable state, holding back messages meanwhile, then becomes a
 * follower (§5.2: servers start as followers).
 */
public final class PeerBootstrap {

  private static final int STASH_CAPACITY = 10_000;

  private PeerBootstrap() {}

  /** The behavior of a peer; see {@link RaftPeer#create}. */
  public static Behavior<Command> create(RaftPeer.Setup<?, ?, ?> setup) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers ->
                    Behaviors.withStash(
                        STASH_CAPACITY, stash -> recovering(setup, ctx, timers, stash))));
  }

  private static Behavior<Command> recovering(
      RaftPeer.Setup<?, ?, ?> setup,
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      StashBuffer<Command> stash) {
    ctx.pipeToSelf(
        setup.storage().recover(),
        (state, failure) -> new InternalMessage.Recovered(state, failure));
    return Behaviors.receive(Command.class)
        .onMessage(
            InternalMessage.Recovered.class,
            recovered -> started(setup, ctx, timers, stash, recovered))
        .onAnyMessage(
            message -> {
              if (stash.isFull()) {
                ctx.getLog().warn("{}: still recovering, dropping {}", setup.id(), message);
              } else {
                stash.stash(message);
              }
              return Behaviors.same();
            })
        .build();
  }

  private static Behavior<Command> started(
      RaftPeer.Setup<?, ?, ?> setup,
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      StashBuffer<Command> stash,
      InternalMessage.Recovered recovered) {
    RecoveredState state = recovered.state();
    if (recovered.failure() != null || state == null) {
      ctx.getLog()
          .error(
              "{}: cannot recover durable state; the peer does not start",
              setup.id(),
              recovered.failure());
      return Behaviors.stopped();
    }
    @SuppressWarnings("unchecked") // the peer treats commands, queries and results as opaque
    StateMachine<Object, Object, Object> stateMachine =
        (StateMachine<Object, Object, Object>) setup.stateMachine().get();
    ActorRef<Applier.Command> applier =
        ctx.spawn(
            Applier.create(
                new Applier.Setup(
                    stateMachine,
                    ctx.getSelf(),
                    setup.settings().maxApplyBatch(),
                    setup.settings().snapshotEveryEntries(),
                    setup.members(),
                    state.snapshot())),
            "applier");
    PeerState peer = new PeerState(setup, ctx, timers, applier, state);
    Duration sweep = setup.settings().requestTimeout().dividedBy(10);
    timers.startTimerWithFixedDelay(
        InternalMessage.Signal.SWEEP_REQUESTS,
        InternalMessage.Signal.SWEEP_REQUESTS,
        sweep.compareTo(Duration.ofMillis(10)) < 0 ? Duration.ofMillis(10) : sweep);
    ctx.getLog()
        .info(
            "{}: started in term {} with {} log entries, members {}",
            setup.id(),
            peer.currentTerm,
            peer.raftLog.lastIndex(),
            setup.members());
    return stash.unstashAll(new Follower(peer));
  }
}
