package dev.keel.examples.kv;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Makes SIGTERM and Ctrl-C (SIGINT) a graceful stop with exit code 0. The JVM answers both by
 * running its shutdown hooks; Pekko's hook runs the coordinated shutdown (the node answers what it
 * holds, closes its storage, terminates its actor system), and this hook then ends the process with
 * 0 rather than the JVM's 143 or 130: the node stopped as asked.
 */
final class GracefulExit {

  private static final long STOP_SECONDS = 30;

  private GracefulExit() {}

  /** Installs the hook for the running node's {@code system}; call it once startup succeeded. */
  static void install(ActorSystem<?> system) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    CoordinatedShutdown.get(system)
                        .runAll(CoordinatedShutdown.jvmExitReason())
                        .toCompletableFuture()
                        .get(STOP_SECONDS, TimeUnit.SECONDS);
                  } catch (ExecutionException | TimeoutException e) {
                    System.err.println("kv-node: graceful stop incomplete: " + e);
                    return;
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  }
                  System.out.flush();
                  Runtime.getRuntime().halt(0);
                },
                "kv-node-exit"));
  }
}
