package dev.keel.raft.safety;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The threads of a campaign's clients: each runs at most {@link #MAX_OPERATIONS} operations with
 * its own random generator derived from the seed, so a seed replays the same choices, until
 * stopped.
 */
final class ClientThreads {

  /** One client's next operation. */
  interface Operation {
    void run(int client, int n, SplittableRandom random);
  }

  static final int MAX_OPERATIONS = 5_000;

  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  ClientThreads(String name, int count, long seed, Operation operation) {
    for (int c = 0; c < count; c++) {
      int client = c;
      SplittableRandom random = new SplittableRandom(seed * 1000 + c);
      threads.add(
          new Thread(
              () -> {
                for (int n = 0; running && n < MAX_OPERATIONS; n++) {
                  operation.run(client, n, random);
                }
              },
              name + "-" + c));
    }
  }

  void start() {
    threads.forEach(Thread::start);
  }

  /** Stops the clients after their current operation and waits for them (bounded). */
  void stop() throws InterruptedException {
    running = false;
    for (Thread thread : threads) {
      thread.join(Duration.ofSeconds(30).toMillis());
    }
  }
}
