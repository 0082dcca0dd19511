package dev.keel.raft.testkit;

import dev.keel.raft.RaftPeer;
import java.util.ArrayDeque;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Wraps a peer so a test can freeze it, as a long GC pause or a stopped VM would: while paused it
 * processes nothing — messages, timers and storage callbacks all wait — and on resume it handles
 * them with its stale view of the world.
 */
final class Pausable {

  /** Control messages, handled by the wrapper and never seen by the peer. */
  enum Control implements RaftPeer.Command {
    PAUSE,
    RESUME
  }

  private Pausable() {}

  @SuppressWarnings("unchecked") // the wrapper sees every message, including Pekko's timer ones
  static Behavior<RaftPeer.Command> wrap(Behavior<RaftPeer.Command> peer) {
    Behavior<Object> inner = (Behavior<Object>) (Behavior<?>) peer;
    Behavior<Object> wrapped = Behaviors.intercept(PauseInterceptor::new, inner);
    return (Behavior<RaftPeer.Command>) (Behavior<?>) wrapped;
  }

  private static final class PauseInterceptor extends BehaviorInterceptor<Object, Object> {
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private boolean paused;

    PauseInterceptor() {
      super(Object.class);
    }

    @Override
    public Behavior<Object> aroundReceive(
        TypedActorContext<Object> ctx, Object msg, ReceiveTarget<Object> target) {
      if (msg == Control.PAUSE) {
        paused = true;
        return Behaviors.same();
      }
      if (msg == Control.RESUME) {
        paused = false;
        // Hand the held messages back in their order; what arrives meanwhile may overtake
        // them, as a network may reorder.
        while (!held.isEmpty()) {
          ctx.asJava().getSelf().tell(held.pollFirst());
        }
        return Behaviors.same();
      }
      if (paused) {
        held.addLast(msg);
        return Behaviors.same();
      }
      return target.apply(ctx, msg);
    }
  }
}
