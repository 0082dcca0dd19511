package dev.keel.raft.testkit.linearizability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The configurations the search has already entered, so that it never explores one twice (Lowe's
 * optimization of Wing and Gong's algorithm), nor one that an entered configuration dominates.
 *
 * <p>A configuration is the set of linearized operations and the model state. One dominates another
 * if it has linearized the same completed operations, reached the same state, and consumed a subset
 * of the other's indeterminate operations: an indeterminate operation left pending never forces
 * anything, so every way to finish from the other is also a way to finish from it. So the memo maps
 * (completed set, state) to the sets of consumed indeterminate operations entered with it, keeping
 * only the minimal ones.
 */
final class Memo {

  /** Per key besides its holes and bitsets: key object, hash table node and slot, list. */
  private static final long KEY_BYTES = 160;

  private final Map<Key, List<long[]>> seen = new HashMap<>();
  private int size;
  private long bytes;

  /**
   * Records the configuration; false if it, or one that dominates it, was already recorded.
   *
   * @param holes a scratch buffer whose first {@code holeCount} elements are the holes of the
   *     completed set (see {@link LinearizedSet})
   * @param consumed the indeterminate operations linearized, as a bitset
   */
  boolean firstVisit(
      long setHash, int highest, int[] holes, int holeCount, Object state, long[] consumed) {
    Key key = Key.over(setHash, highest, holes, holeCount, state);
    List<long[]> entered = seen.get(key);
    if (entered == null) {
      entered = new ArrayList<>(1);
      seen.put(key.withOwnHoles(), entered);
      bytes += KEY_BYTES + 4L * holeCount;
    } else {
      for (long[] earlier : entered) {
        if (isSubset(earlier, consumed)) {
          return false;
        }
      }
      entered.removeIf(earlier -> isSubset(consumed, earlier));
    }
    entered.add(consumed.clone());
    size++;
    bytes += 16 + 8L * consumed.length;
    return true;
  }

  private static boolean isSubset(long[] small, long[] large) {
    for (int i = 0; i < small.length; i++) {
      if ((small[i] & ~large[i]) != 0) {
        return false;
      }
    }
    return true;
  }

  /** The number of configurations recorded. */
  int size() {
    return size;
  }

  /** An estimate of the memory the recorded configurations hold, not counting shared states. */
  long bytes() {
    return bytes;
  }

  private static final class Key {
    private final int highest;
    private final int[] holes;
    private final int holeCount;
    private final Object state;
    private final int hash;

    /** A key over the scratch buffer {@code holes}: for a lookup, not to be stored. */
    static Key over(long setHash, int highest, int[] holes, int holeCount, Object state) {
      return new Key(
          Long.hashCode(setHash) * 31 + state.hashCode(), highest, holes, holeCount, state);
    }

    private Key(int hash, int highest, int[] holes, int holeCount, Object state) {
      this.highest = highest;
      this.holes = holes;
      this.holeCount = holeCount;
      this.state = state;
      this.hash = hash;
    }

    /** This key with its own copy of the holes, to be stored; keeps the hash already computed. */
    Key withOwnHoles() {
      return new Key(hash, highest, Arrays.copyOf(holes, holeCount), holeCount, state);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key
          && key.hash == hash
          && key.highest == highest
          && Arrays.equals(key.holes, 0, key.holeCount, holes, 0, holeCount)
          && key.state.equals(state);
    }
  }
}
