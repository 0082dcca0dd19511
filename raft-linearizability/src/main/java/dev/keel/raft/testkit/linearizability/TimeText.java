package dev.keel.raft.testkit.linearizability;

import java.util.Locale;

/** Formats nanosecond times for reports. */
final class TimeText {

  private TimeText() {}

  /** A time relative to the history's start, e.g. {@code +1.250ms}, or {@code never}. */
  static String relative(long nanos, long startNanos) {
    return nanos == Operation.NEVER ? "never" : "+" + duration(nanos - startNanos);
  }

  /**
   * A duration with a readable unit: {@code 750ns}, {@code 12.5us}, {@code 3.250ms}, {@code
   * 2.100s}.
   */
  static String duration(long nanos) {
    if (Math.abs(nanos) < 1_000) {
      return nanos + "ns";
    }
    if (Math.abs(nanos) < 1_000_000) {
      return String.format(Locale.ROOT, "%.1fus", nanos / 1e3);
    }
    if (Math.abs(nanos) < 1_000_000_000) {
      return String.format(Locale.ROOT, "%.3fms", nanos / 1e6);
    }
    return String.format(Locale.ROOT, "%.3fs", nanos / 1e9);
  }
}
