package dev.keel.raft.testkit;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a bound, polling it; for tests that observe actors from outside. */
public final class Await {

  private static final long POLL_NANOS = Duration.ofMillis(5).toNanos();

  private Await() {}

  /**
   * Polls {@code condition} until it holds.
   *
   * @throws AssertionError naming {@code what} if it does not hold within {@code timeout}
   */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  /** Pauses the calling thread, e.g. before a client retries; never use it to wait for state. */
  public static void pause(Duration duration) {
    LockSupport.parkNanos(duration.toNanos());
  }

  /**
   * Polls {@code supplier} until it returns a non-null value.
   *
   * @throws AssertionError naming {@code what} if none comes within {@code timeout}
   */
  public static <T> T result(String what, Duration timeout, Supplier<T> supplier) {
    Object[] holder = new Object[1];
    until(
        what,
        timeout,
        () -> {
          holder[0] = supplier.get();
          return holder[0] != null;
        });
    @SuppressWarnings("unchecked") // holder only ever holds what supplier returned
    T value = (T) holder[0];
    return value;
  }
}
