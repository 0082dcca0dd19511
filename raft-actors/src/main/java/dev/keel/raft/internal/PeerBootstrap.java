package dev.keel.raft.internal;

import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftPeer.Command;
import dev.keel.raft.RaftReply;
import dev.keel.raft.StateMachine;
import dev.keel.raft.persistence.RecoveredState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    // Stop requests that did not fit the stash: carried out once started, never dropped.
    List<RaftPeer.Stop> overflowStops = new ArrayList<>();
    return Behaviors.receive(Command.class)
        .onMessage(
            InternalMessage.Recovered.class,
            recovered -> {
              for (RaftPeer.Stop stop : overflowStops) {
                // After the stashed messages, once started; or at once if the peer cannot start.
                refuseOrResend(ctx, recovered, stop);
              }
              return started(setup, ctx, timers, stash, recovered);
            })
        .onAnyMessage(
            message -> {
              if (stash.isFull() && message instanceof RaftPeer.Stop stop) {
                overflowStops.add(stop);
              } else if (stash.isFull()) {
                refuseWhileRecovering(setup.id(), ctx, message);
              } else {
                stash.stash(message);
              }
              return Behaviors.same();
            })
        .build();
  }

  /**
   * Answers a request that does not fit the recovery stash: not proposed, so safe to retry. Raft
   * messages and status requests are dropped; peers retry, and a status ask times out.
   */
  private static void refuseWhileRecovering(String id, ActorContext<Command> ctx, Command message) {
    ctx.getLog()
        .warn(
            "{}: still recovering and {} messages wait; refusing {}",
            id,
            STASH_CAPACITY,
            message.getClass().getSimpleName());
    refuse(ctx, message);
  }

  private static void refuseOrResend(
      ActorContext<Command> ctx, InternalMessage.Recovered recovered, RaftPeer.Stop stop) {
    if (recovered.failure() == null && recovered.state() != null) {
      ctx.getSelf().tell(stop);
    } else {
      refuse(ctx, stop);
    }
  }

  /** Answers a client request the peer will never serve: not proposed, so safe to retry. */
  @SuppressWarnings("unchecked") // NoLeader carries no result: any reply type fits
  private static void refuse(ActorContext<Command> ctx, Command message) {
    if (message instanceof RaftPeer.Write<?, ?> write) {
      ((ActorRef<RaftReply<Object>>) (ActorRef<?>) write.replyTo())
          .tell(new RaftReply.NoLeader<>());
    } else if (message instanceof RaftPeer.Read<?, ?> read) {
      ((ActorRef<RaftReply<Object>>) (ActorRef<?>) read.replyTo()).tell(new RaftReply.NoLeader<>());
    } else if (message instanceof RaftPeer.TakeSnapshot snapshot) {
      snapshot.replyTo().tell(new RaftReply.Rejected<>("the peer is not running"));
    } else if (message instanceof RaftPeer.Stop stop) {
      stop.replyTo().tell(org.apache.pekko.Done.getInstance());
    }
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
      stash.forEach(message -> refuse(ctx, message));
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
    ctx.watchWith(applier, InternalMessage.Signal.APPLIER_STOPPED);
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
