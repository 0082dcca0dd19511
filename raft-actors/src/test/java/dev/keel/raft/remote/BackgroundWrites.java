package dev.keel.raft.remote;

import dev.keel.raft.RaftClient;
import dev.keel.raft.RaftReply;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes through a {@link RaftClient} one after another on a thread of its own until stopped, and
 * records every answer that is not {@code Ok}: proof that a cluster kept committing meanwhile.
 */
final class BackgroundWrites implements AutoCloseable {

  private final RaftClient<String, String, List<String>> client;
  private final String prefix;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicLong committed = new AtomicLong();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final List<String> acknowledged = new CopyOnWriteArrayList<>();
  private final Thread thread;

  BackgroundWrites(RaftClient<String, String, List<String>> client, String prefix) {
    this.client = client;
    this.prefix = prefix;
    this.thread = new Thread(this::run, "background-writes-" + prefix);
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    for (long i = 0; !stopping.get(); i++) {
      String value = prefix + i;
      try {
        RaftReply<List<String>> reply =
            client.write(value).toCompletableFuture().get(60, TimeUnit.SECONDS);
        if (reply.isOk()) {
          committed.incrementAndGet();
          acknowledged.add(value);
        } else {
          failures.add(value + ": " + reply);
        }
      } catch (Exception e) {
        failures.add(value + ": " + e);
      }
    }
  }

  /** Writes answered {@code Ok} so far. */
  long committed() {
    return committed.get();
  }

  /** Every write answered {@code Ok}, in order. */
  List<String> acknowledged() {
    return List.copyOf(acknowledged);
  }

  /** Every write answered otherwise, with its answer. */
  List<String> failures() {
    return List.copyOf(failures);
  }

  /** Waits until at least {@code more} writes beyond the current count have committed. */
  void awaitProgress(long more, java.time.Duration timeout) {
    long target = committed() + more;
    Poll.until(more + " more committed writes", timeout, () -> committed() >= target);
  }

  /** Stops writing and waits for the write in flight to be answered. */
  void stop() {
    stopping.set(true);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(90));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
