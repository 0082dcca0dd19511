package dev.keel.raft.testkit;

import dev.keel.raft.RaftClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link RaftClock} that moves only when a test advances it, together with ManualTime. */
final class ManualClock implements RaftClock {

  // Starts far from zero so "long ago" comparisons behave as with a real monotonic clock.
  private final AtomicLong nanos = new AtomicLong(Duration.ofDays(1).toNanos());

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }
}
