package dev.keel.raft.persistence.journal;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.jspecify.annotations.Nullable;

/**
 * Parent of one storage's journal actors, one incarnation at a time: a new incarnation starts only
 * after the previous one has stopped, so two actors never write the same persistence id. It reports
 * every journal actor that stops (for whatever reason, with the exception if it failed) and its own
 * stop (the actor system terminating) to the {@link WritePipeline}, so no stage waits forever.
 */
final class JournalKeeper extends AbstractBehavior<JournalKeeper.Command> {

  /** What the pipeline sends. */
  sealed interface Command permits Start, Shutdown {}

  /** Stops the current incarnation, if any, then starts incarnation {@code incarnation}. */
  record Start(long incarnation) implements Command {}

  /** Stops the keeper and its journal actor ({@code close()}). */
  enum Shutdown implements Command {
    INSTANCE
  }

  private final PeerJournal.Setup setup;
  // Invariant: at most one journal actor is alive, and it is `child`.
  private @Nullable ActorRef<PeerJournal.Command> child;
  private long childIncarnation;
  // The incarnation to start once `child` has stopped.
  private long pending;

  private JournalKeeper(ActorContext<Command> context, PeerJournal.Setup setup) {
    super(context);
    this.setup = setup;
  }

  static Behavior<Command> create(PeerJournal.Setup setup) {
    return Behaviors.setup(context -> new JournalKeeper(context, setup));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Start.class, this::onStart)
        .onMessageEquals(Shutdown.INSTANCE, Behaviors::stopped)
        .onSignal(ChildFailed.class, failed -> onChildStopped(failed.getRef(), failed.getCause()))
        .onSignal(Terminated.class, terminated -> onChildStopped(terminated.getRef(), null))
        .onSignal(PostStop.class, stop -> onPostStop())
        .build();
  }

  private Behavior<Command> onStart(Start start) {
    ActorRef<PeerJournal.Command> running = child;
    if (running == null) {
      spawn(start.incarnation());
    } else {
      pending = start.incarnation();
      getContext().stop(running);
    }
    return this;
  }

  private Behavior<Command> onChildStopped(ActorRef<Void> ref, @Nullable Throwable cause) {
    ActorRef<PeerJournal.Command> running = child;
    if (running == null || !running.path().equals(ref.path())) {
      return this;
    }
    child = null;
    setup.pipeline().stopped(childIncarnation, cause);
    if (pending != 0) {
      spawn(pending);
      pending = 0;
    }
    return this;
  }

  private void spawn(long incarnation) {
    ActorRef<PeerJournal.Command> ref =
        Adapter.toTyped(
            Adapter.actorOf(
                getContext(), PeerJournal.props(setup, incarnation), "journal-" + incarnation));
    getContext().watch(ref);
    child = ref;
    childIncarnation = incarnation;
  }

  private Behavior<Command> onPostStop() {
    setup.pipeline().keeperStopped();
    return this;
  }
}
