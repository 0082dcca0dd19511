package dev.keel.raft.tls;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Logs handshake failures without flooding the log: a peer that keeps retrying is refused on every
 * attempt, so the same failure (same address, same reason) is logged at most once per interval,
 * with the number of repeats since the last line.
 */
final class RefusalLog {

  /** Distinct failures remembered at most; beyond that the memory starts over. */
  private static final int MAX_REMEMBERED = 1024;

  private final Logger log;
  private final long intervalNanos;
  // Guarded by itself.
  private final Map<String, Seen> seen = new HashMap<>();

  /** When a failure was last logged, and how often it happened since. */
  private static final class Seen {
    long loggedAt;
    long repeats;

    Seen(long loggedAt) {
      this.loggedAt = loggedAt;
    }
  }

  RefusalLog(Logger log, Duration interval) {
    this.log = log;
    this.intervalNanos = interval.toNanos();
  }

  void failed(TlsHandshakeFailure failure) {
    String line = failure.describe();
    long now = System.nanoTime();
    long repeats;
    synchronized (seen) {
      if (seen.size() > MAX_REMEMBERED) {
        seen.clear();
      }
      Seen previous = seen.get(line);
      if (previous != null && now - previous.loggedAt < intervalNanos) {
        previous.repeats++;
        return;
      }
      repeats = previous == null ? 0 : previous.repeats;
      seen.put(line, new Seen(now));
    }
    if (repeats == 0) {
      log.warn("Keel TLS: {}", line);
    } else {
      log.warn("Keel TLS: {} ({} more times since the last report)", line, repeats);
    }
  }
}
