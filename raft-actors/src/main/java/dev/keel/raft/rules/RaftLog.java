package dev.keel.raft.rules;

import dev.keel.raft.persistence.LogEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The peer's working copy of the replicated log, in memory. The peer appends here first and hands
 * the same entries to storage; what is durable is tracked separately by {@link DurabilityTracker}.
 * Owned by one actor; not thread-safe.
 */
public final class RaftLog {

  // Invariant: entries.get(i).index() == baseIndex + 1 + i; terms never decrease along the list.
  private final List<LogEntry> entries = new ArrayList<>();
  // Index and term of the entry just before the first one held: 0/0, or the last entry a
  // snapshot covers once the log was compacted (§7).
  private long baseIndex;
  private long baseTerm;

  /** An empty log. */
  public RaftLog() {
    this(0, 0);
  }

  private RaftLog(long baseIndex, long baseTerm) {
    this.baseIndex = baseIndex;
    this.baseTerm = baseTerm;
  }

  /** A log holding the given consecutive entries, starting at index 1. */
  public static RaftLog of(List<LogEntry> recovered) {
    return of(0, 0, recovered);
  }

  /** A log compacted up to (baseIndex, baseTerm) holding the given consecutive entries after it. */
  public static RaftLog of(long baseIndex, long baseTerm, List<LogEntry> recovered) {
    RaftLog log = new RaftLog(baseIndex, baseTerm);
    for (LogEntry entry : recovered) {
      log.append(entry);
    }
    return log;
  }

  /** Index of the last entry a snapshot replaced, 0 if the log was never compacted. */
  public long baseIndex() {
    return baseIndex;
  }

  /** Term of {@link #baseIndex()}. */
  public long baseTerm() {
    return baseTerm;
  }

  /**
   * Discards the entries up to and including {@code index}, which a snapshot now covers (§7). The
   * log must hold {@code index}.
   */
  public void compactTo(long index) {
    if (index <= baseIndex) {
      return;
    }
    long term = termAt(index);
    entries.subList(0, (int) (index - baseIndex)).clear();
    baseIndex = index;
    baseTerm = term;
  }

  /**
   * Replaces the whole log by a snapshot's position: every entry goes, and the log continues after
   * (index, term). For a follower whose log contradicts a leader's snapshot (§7).
   */
  public void resetTo(long index, long term) {
    entries.clear();
    baseIndex = index;
    baseTerm = term;
  }

  /** Index of the last entry, 0 when empty. */
  public long lastIndex() {
    return baseIndex + entries.size();
  }

  /** Term of the last entry, 0 when empty. */
  public long lastTerm() {
    return entries.isEmpty() ? baseTerm : entries.get(entries.size() - 1).term();
  }

  /**
   * Term of the entry at {@code index}; 0 for index 0.
   *
   * @throws IndexOutOfBoundsException when the log holds no such entry
   */
  public long termAt(long index) {
    if (index == baseIndex) {
      return baseTerm;
    }
    return entry(index).term();
  }

  /** Whether the log holds an entry at {@code index} with term {@code term} (§5.3). */
  public boolean matches(long index, long term) {
    return index <= lastIndex() && index >= baseIndex && termAt(index) == term;
  }

  /** The entry at {@code index}. */
  public LogEntry entry(long index) {
    if (index <= baseIndex || index > lastIndex()) {
      throw new IndexOutOfBoundsException(
          "no entry " + index + " in log (" + (baseIndex + 1) + ".." + lastIndex() + ")");
    }
    return entries.get((int) (index - baseIndex - 1));
  }

  /** Appends one entry, which must follow the last one. */
  public void append(LogEntry entry) {
    if (entry.index() != lastIndex() + 1) {
      throw new IllegalArgumentException(
          "entry " + entry.index() + " does not follow last index " + lastIndex());
    }
    if (entry.term() < lastTerm()) {
      throw new IllegalArgumentException(
          "entry term " + entry.term() + " is below last term " + lastTerm());
    }
    entries.add(entry);
  }

  /** Removes the entry at {@code index} and every entry after it. */
  public void truncateFrom(long index) {
    if (index <= baseIndex) {
      throw new IllegalArgumentException("cannot truncate at or below " + baseIndex);
    }
    if (index <= lastIndex()) {
      entries.subList((int) (index - baseIndex - 1), entries.size()).clear();
    }
  }

  /**
   * Entries from {@code fromIndex} on, at most {@code maxCount} of them and, past the first, at
   * most {@code maxBytes} as measured by {@code sizer}. The list is an immutable copy.
   */
  public List<LogEntry> slice(
      long fromIndex, int maxCount, long maxBytes, ToIntFunction<LogEntry> sizer) {
    List<LogEntry> out = new ArrayList<>();
    long bytes = 0;
    for (long i = fromIndex; i <= lastIndex() && out.size() < maxCount; i++) {
      LogEntry entry = entry(i);
      bytes += sizer.applyAsInt(entry);
      if (!out.isEmpty() && bytes > maxBytes) {
        break;
      }
      out.add(entry);
    }
    return List.copyOf(out);
  }

  /** Entries {@code fromIndex..toIndex} inclusive, as an immutable copy. */
  public List<LogEntry> range(long fromIndex, long toIndex) {
    if (fromIndex > toIndex) {
      return List.of();
    }
    return List.copyOf(
        entries.subList((int) (fromIndex - baseIndex - 1), (int) (toIndex - baseIndex)));
  }

  /** The first index holding an entry of {@code term}, or -1 if there is none. */
  public long firstIndexOfTerm(long term) {
    long index = lastIndexOfTerm(term);
    if (index < 0) {
      return -1;
    }
    while (index - 1 > baseIndex && termAt(index - 1) == term) {
      index--;
    }
    return index;
  }

  /** The last index holding an entry of {@code term}, or -1 if there is none. */
  public long lastIndexOfTerm(long term) {
    for (long i = lastIndex(); i > baseIndex; i--) {
      long t = termAt(i);
      if (t == term) {
        return i;
      }
      if (t < term) {
        return -1;
      }
    }
    return -1;
  }
}
