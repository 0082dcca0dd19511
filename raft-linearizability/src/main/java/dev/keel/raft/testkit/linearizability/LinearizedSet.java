package dev.keel.raft.testkit.linearizability;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The set of operations linearized so far, in two halves that the memo treats differently.
 *
 * <p>Completed operations are kept in the compact form the memo stores: the highest linearized one
 * (ops are numbered in invocation order) and the "holes", the completed ops below it not yet
 * linearized. The search linearizes roughly in invocation order, so the holes are few. A hash of
 * this half (the XOR of a fixed random number per member, Zobrist's) is kept up to date in constant
 * time.
 *
 * <p>Indeterminate operations are kept as a bitset over their own numbering, so that the memo can
 * tell when one configuration consumed a subset of another's.
 *
 * <p>Members are added and removed in stack order, as the search goes deeper and backtracks.
 */
final class LinearizedSet {

  private static final long SEED = 0x5eed_11fe_a12bL;

  private final long[] zobrist;

  /** For an indeterminate op, its bit in {@link #consumed}; -1 for a completed op. */
  private final int[] indeterminateBit;

  /** highest[d] is the highest completed member after d additions; highest[0] = -1. */
  private final int[] highest;

  private final long[] consumed;
  private int size;

  /** Invariant: the XOR of zobrist[op] over the completed members. */
  private long hash;

  LinearizedSet(List<? extends Operation<?, ?>> operations) {
    int count = operations.size();
    zobrist = new SplittableRandom(SEED).longs(count).toArray();
    indeterminateBit = new int[count];
    int bits = 0;
    for (int op = 0; op < count; op++) {
      indeterminateBit[op] = operations.get(op).isIndeterminate() ? bits++ : -1;
    }
    consumed = new long[(bits + 63) >>> 6];
    highest = new int[count + 1];
    highest[0] = -1;
  }

  /** Adds {@code op}, which is not a member. */
  void push(int op) {
    int bit = indeterminateBit[op];
    if (bit >= 0) {
      consumed[bit >>> 6] |= 1L << bit;
      highest[size + 1] = highest[size];
    } else {
      hash ^= zobrist[op];
      highest[size + 1] = Math.max(highest[size], op);
    }
    size++;
  }

  /** Removes {@code op}, the member added last. */
  void pop(int op) {
    int bit = indeterminateBit[op];
    if (bit >= 0) {
      consumed[bit >>> 6] &= ~(1L << bit);
    } else {
      hash ^= zobrist[op];
    }
    size--;
  }

  /** The hash of the completed members. */
  long hash() {
    return hash;
  }

  /** The highest completed member, or -1 if there is none. */
  int highest() {
    return highest[size];
  }

  /** The indeterminate members as a bitset; live, so copy it before keeping it. */
  long[] consumed() {
    return consumed;
  }

  /**
   * Writes the holes, in increasing order, into {@code into} and returns how many there are. The
   * completed ops not linearized are those whose calls are still in {@code entries}, but for {@code
   * justAdded}, which is a member whose call has not been lifted yet.
   */
  int holes(EntryList entries, int justAdded, int[] into) {
    int top = highest();
    int count = 0;
    // Calls appear in the list in op order, so the walk stops at the first call above top.
    for (int entry = entries.first(); entry != EntryList.NONE; entry = entries.next(entry)) {
      int op = EntryList.operation(entry);
      if (op > top) {
        break;
      }
      if (EntryList.isCall(entry) && op != justAdded && indeterminateBit[op] < 0) {
        into[count++] = op;
      }
    }
    return count;
  }
}
