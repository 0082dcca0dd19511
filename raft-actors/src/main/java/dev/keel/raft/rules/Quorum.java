package dev.keel.raft.rules;

import java.util.Arrays;
import java.util.Collection;

/** Majority arithmetic over a set of voters. */
public final class Quorum {

  private Quorum() {}

  /** How many voters form a majority of {@code voters}. */
  public static int majority(int voters) {
    if (voters < 1) {
      throw new IllegalArgumentException("voters must be >= 1, was " + voters);
    }
    return voters / 2 + 1;
  }

  /**
   * The highest value that a majority of voters have reached: with values sorted from high to low,
   * the one at position majority - 1. Used for the commit index from match indexes (§5.3, §5.4) and
   * for read-index rounds.
   */
  public static long majorityValue(Collection<Long> values) {
    long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
    if (sorted.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    Arrays.sort(sorted);
    return sorted[sorted.length - majority(sorted.length)];
  }
}
