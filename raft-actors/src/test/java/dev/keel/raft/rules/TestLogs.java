package dev.keel.raft.rules;

import dev.keel.raft.persistence.EntryPayload;
import dev.keel.raft.persistence.LogEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builders shared by the rule tests. */
final class TestLogs {

  private TestLogs() {}

  /** An entry carrying a command that names its index and term, so entries compare by content. */
  static LogEntry entry(long index, long term) {
    return new LogEntry(
        index,
        term,
        new EntryPayload.UserCommand(
            20, "", ("cmd-" + index + "@" + term).getBytes(StandardCharsets.UTF_8)));
  }

  /** Entries 1..n with the given terms. */
  static List<LogEntry> entries(long... terms) {
    return entriesFrom(1, terms);
  }

  /** Entries firstIndex.. with the given terms. */
  static List<LogEntry> entriesFrom(long firstIndex, long... terms) {
    List<LogEntry> out = new ArrayList<>();
    for (int i = 0; i < terms.length; i++) {
      out.add(entry(firstIndex + i, terms[i]));
    }
    return out;
  }

  /** A log whose entry i has term terms[i - 1]. */
  static RaftLog log(long... terms) {
    return RaftLog.of(entries(terms));
  }

  /** The terms of every entry in the log, in index order. */
  static List<Long> terms(RaftLog log) {
    List<Long> out = new ArrayList<>();
    for (long i = 1; i <= log.lastIndex(); i++) {
      out.add(log.termAt(i));
    }
    return out;
  }

  /** Carries out an accepted AppendEntries the way a follower would. */
  static void apply(RaftLog log, AppendDecision.Accept accept) {
    if (accept.truncateFrom() > 0) {
      log.truncateFrom(accept.truncateFrom());
    }
    for (LogEntry entry : accept.toAppend()) {
      log.append(entry);
    }
  }
}
