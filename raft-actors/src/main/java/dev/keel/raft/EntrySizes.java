package dev.keel.raft;

import dev.keel.raft.persistence.EntryPayload;
import dev.keel.raft.persistence.LogEntry;

/** Default size estimates of log entries, used to keep AppendEntries below a byte limit. */
public final class EntrySizes {

  /** Fixed overhead of an entry: index, term, type tag. */
  public static final int ENTRY_OVERHEAD = 24;

  /** Assumed size of a command whose size cannot be read off. */
  public static final int UNKNOWN_COMMAND_SIZE = 64;

  private EntrySizes() {}

  /**
   * Estimates an entry's serialized size: exact for {@code byte[]}, close for strings, a fixed
   * guess otherwise. Supply your own estimator when commands are large and not bytes or text.
   */
  public static int estimate(LogEntry entry) {
    if (entry.payload() instanceof EntryPayload.UserCommand user) {
      Object command = user.command();
      if (command instanceof byte[] bytes) {
        return ENTRY_OVERHEAD + bytes.length;
      }
      if (command instanceof CharSequence text) {
        return ENTRY_OVERHEAD + text.length() * 3;
      }
      return ENTRY_OVERHEAD + UNKNOWN_COMMAND_SIZE;
    }
    return ENTRY_OVERHEAD;
  }
}
