package dev.keel.raft.testkit;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** Waits from outside the actor system until a stopped actor has really terminated. */
final class Terminations {

  private Terminations() {}

  /**
   * Blocks until {@code ref} has terminated (at once if it already has).
   *
   * @param watcherName a name for the watching actor, unique among the system's actors
   * @throws IllegalStateException if it is still alive after {@code timeout}
   */
  static void await(ActorSystem<?> system, ActorRef<?> ref, String watcherName, Duration timeout) {
    CompletableFuture<Void> terminated = new CompletableFuture<>();
    system.systemActorOf(watcher(ref, terminated), watcherName, Props.empty());
    try {
      terminated.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for " + ref + " to terminate", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(ref + " did not terminate within " + timeout, e);
    }
  }

  private static Behavior<Void> watcher(ActorRef<?> ref, CompletableFuture<Void> terminated) {
    return Behaviors.setup(
        ctx -> {
          // Watching an actor that is already gone delivers Terminated at once.
          ctx.watch(ref);
          return Behaviors.receive(Void.class)
              .onSignal(
                  Terminated.class,
                  signal -> {
                    terminated.complete(null);
                    return Behaviors.stopped();
                  })
              .build();
        });
  }
}
