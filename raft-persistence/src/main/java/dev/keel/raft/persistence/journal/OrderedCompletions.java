package dev.keel.raft.persistence.journal;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes futures in the order they were queued, one at a time, on whichever thread drains. Queue
 * completions while holding the storage's lock (so their order is the order of the decisions), then
 * call {@link #drain()} after releasing it: callbacks never run under the lock, and two threads
 * never complete out of order (the second one's completions are run by the thread already
 * draining).
 */
final class OrderedCompletions {

  private static final Logger LOG = LoggerFactory.getLogger(OrderedCompletions.class);

  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  private boolean draining;

  /** Queues {@code future} to complete with {@code value}. */
  synchronized <T> void succeed(CompletableFuture<T> future, @Nullable T value) {
    tasks.add(() -> future.complete(value));
  }

  /** Queues {@code future} to fail with {@code failure}. */
  synchronized void fail(CompletableFuture<?> future, Throwable failure) {
    tasks.add(() -> future.completeExceptionally(failure));
  }

  /** Runs the queued completions unless another thread is already doing so. */
  void drain() {
    synchronized (this) {
      if (draining) {
        return;
      }
      draining = true;
    }
    while (true) {
      Runnable task;
      synchronized (this) {
        task = tasks.poll();
        if (task == null) {
          draining = false;
          return;
        }
      }
      boolean ran = false;
      try {
        task.run();
        ran = true;
      } catch (RuntimeException e) {
        // CompletableFuture keeps callback exceptions to itself; this is a last resort.
        LOG.error("A storage completion callback threw", e);
        ran = true;
      } finally {
        if (!ran) {
          synchronized (this) {
            draining = false; // an Error escapes: let the next drain() carry on
          }
        }
      }
    }
  }
}
