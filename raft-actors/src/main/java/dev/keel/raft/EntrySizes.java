package dev.keel.raft;

import dev.keel.raft.persistence.EntryPayload;
import dev.keel.raft.persistence.LogEntry;

/**
 * Sizes of log entries on the wire, used to keep AppendEntries below a byte limit. A user command
 * is carried as the bytes its serializer wrote, so its size is known exactly.
 */
public final class EntrySizes {

  /**
   * Upper bound of an entry's fixed part on the wire: index, term, payload tag, serializer id and
   * the lengths of manifest and bytes, each a variable-length integer.
   */
  public static final int ENTRY_OVERHEAD = 40;

  private EntrySizes() {}

  /** An upper bound of {@code entry}'s serialized size in an AppendEntries. */
  public static int size(LogEntry entry) {
    if (entry.payload() instanceof EntryPayload.UserCommand command) {
      return ENTRY_OVERHEAD + command.manifest().length() * 3 + command.bytes().length;
    }
    return ENTRY_OVERHEAD;
  }
}
