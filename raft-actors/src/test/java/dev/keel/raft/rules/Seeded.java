package dev.keel.raft.rules;

import java.util.Random;
import java.util.function.Consumer;

/**
 * Randomized checks against a reference, repeatable run to run: each run gets its own fixed seed,
 * and a failure names the seed that produced it.
 */
final class Seeded {

  static final int RUNS = 500;

  private Seeded() {}

  static void forEachSeed(Consumer<Random> check) {
    for (long seed = 1; seed <= RUNS; seed++) {
      try {
        check.accept(new Random(seed));
      } catch (AssertionError e) {
        throw new AssertionError("failed with seed " + seed + ": " + e.getMessage(), e);
      }
    }
  }

  /** A list of {@code size} values, each in {@code 0..maxInclusive}. */
  static long[] values(Random random, int size, int maxInclusive) {
    long[] out = new long[size];
    for (int i = 0; i < size; i++) {
      out[i] = random.nextInt(maxInclusive + 1);
    }
    return out;
  }

  /** Terms of a valid log of {@code length} entries: starting at 1 or more, never decreasing. */
  static long[] nonDecreasingTerms(Random random, int length) {
    long[] terms = new long[length];
    long term = 1;
    for (int i = 0; i < length; i++) {
      term += random.nextInt(3) == 0 ? 1 : 0;
      terms[i] = term;
    }
    return terms;
  }
}
