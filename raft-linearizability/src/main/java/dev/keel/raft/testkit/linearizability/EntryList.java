package dev.keel.raft.testkit.linearizability;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The history as one list of call and return entries in time order, from which the search lifts an
 * operation (its call and its return) when it linearizes it and puts it back, at the same place,
 * when it backtracks: Knuth's dancing links, as in Lowe's and Porcupine's checkers.
 *
 * <p>Entries at the same instant put calls first: operations that touch at an instant count as
 * concurrent, which forgives clocks their granularity.
 */
final class EntryList {

  /** The end of the list. */
  static final int NONE = -1;

  /** Entry {@code 2 * op} is op's call, {@code 2 * op + 1} its return; the head sentinel last. */
  private final int head;

  private final int[] next;
  private final int[] prev;

  private EntryList(int[] order) {
    int entries = order.length;
    head = entries;
    next = new int[entries + 1];
    prev = new int[entries + 1];
    int last = head;
    for (int entry : order) {
      next[last] = entry;
      prev[entry] = last;
      last = entry;
    }
    next[last] = NONE;
  }

  /** The entries of {@code operations}, whose indexes in the list are their op numbers. */
  static EntryList of(List<? extends Operation<?, ?>> operations) {
    int count = operations.size();
    long[] time = new long[2 * count];
    Integer[] order = new Integer[2 * count];
    for (int op = 0; op < count; op++) {
      time[2 * op] = operations.get(op).invokeNanos();
      time[2 * op + 1] = operations.get(op).returnNanos();
      order[2 * op] = 2 * op;
      order[2 * op + 1] = 2 * op + 1;
    }
    // At equal times calls (even entries) go first; then by op number, for a stable order.
    Arrays.sort(
        order,
        Comparator.<Integer>comparingLong(entry -> time[entry])
            .thenComparingInt(entry -> entry & 1)
            .thenComparingInt(entry -> entry));
    return new EntryList(Arrays.stream(order).mapToInt(Integer::intValue).toArray());
  }

  /** The first entry still in the list, or {@link #NONE}. */
  int first() {
    return next[head];
  }

  /** The entry after {@code entry}, or {@link #NONE}. */
  int next(int entry) {
    return next[entry];
  }

  /** Whether {@code entry} is an invocation (else it is a return). */
  static boolean isCall(int entry) {
    return (entry & 1) == 0;
  }

  /** The operation an entry belongs to. */
  static int operation(int entry) {
    return entry >>> 1;
  }

  /** The call entry of {@code op}. */
  static int callOf(int op) {
    return 2 * op;
  }

  /** Removes op's call and return. */
  void lift(int op) {
    remove(2 * op);
    remove(2 * op + 1);
  }

  /** Puts back op's call and return; lifts and unlifts must nest like a stack. */
  void unlift(int op) {
    restore(2 * op + 1);
    restore(2 * op);
  }

  private void remove(int entry) {
    next[prev[entry]] = next[entry];
    if (next[entry] != NONE) {
      prev[next[entry]] = prev[entry];
    }
  }

  private void restore(int entry) {
    next[prev[entry]] = entry;
    if (next[entry] != NONE) {
      prev[next[entry]] = entry;
    }
  }
}
