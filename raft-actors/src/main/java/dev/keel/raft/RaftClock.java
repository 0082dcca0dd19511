package dev.keel.raft;

/**
 * Monotonic time as the peer sees it, injected so tests can control it. Timers still go through the
 * actor system's scheduler (which Pekko's ManualTime controls); this clock only measures how long
 * ago something happened, e.g. the last message from a leader.
 */
@FunctionalInterface
public interface RaftClock {

  /** The system's monotonic clock. */
  RaftClock SYSTEM = System::nanoTime;

  /** Nanoseconds from an arbitrary origin; only differences are meaningful. */
  long nanoTime();
}
