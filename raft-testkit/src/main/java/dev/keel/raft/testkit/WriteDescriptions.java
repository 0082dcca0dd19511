package dev.keel.raft.testkit;

import dev.keel.raft.persistence.LogEntry;
import java.util.List;

/** Short descriptions of storage writes, for the storage doubles' reports. */
final class WriteDescriptions {

  private WriteDescriptions() {}

  /** An append, e.g. {@code "entries 41..43 of term 2"}. */
  static String entries(List<LogEntry> entries) {
    if (entries.isEmpty()) {
      return "no entries";
    }
    LogEntry last = entries.get(entries.size() - 1);
    return "entries " + entries.get(0).index() + ".." + last.index() + " of term " + last.term();
  }
}
