package dev.keel.raft.testkit.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The checker's pruning (memo, dominance of configurations that consumed fewer indeterminate
 * operations, completed-first order) must never change a verdict: on random tiny register histories
 * with random outputs, linearizable or not, it agrees with a brute-force search.
 */
class MatchesBruteForceTest {

  private static final int SEEDS = 5_000;
  private static final Duration BUDGET = Duration.ofSeconds(30);

  @Test
  void agreesWithBruteForceOnRandomTinyHistories() {
    int linearizable = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      History<RegisterOp<Integer>, Response<Integer>> history = randomHistory(seed);
      boolean expected = BruteForceChecker.isLinearizable(RegisterModel.startingAt(0), history);

      CheckResult result =
          LinearizabilityChecker.check(RegisterModel.startingAt(0), history, BUDGET);

      assertThat(result.outcome())
          .as("seed %d, %s: %s", seed, history.operations(), result.explanation())
          .isEqualTo(
              expected ? CheckResult.Outcome.LINEARIZABLE : CheckResult.Outcome.NOT_LINEARIZABLE);
      linearizable += expected ? 1 : 0;
    }
    assertThat(linearizable)
        .as("both verdicts are exercised")
        .isBetween(SEEDS / 10, SEEDS * 9 / 10);
  }

  /** Up to 7 operations on values 0..2 over a short timeline, a quarter of them indeterminate. */
  private static History<RegisterOp<Integer>, Response<Integer>> randomHistory(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    History.Builder<RegisterOp<Integer>, Response<Integer>> history = Histories.register();
    int count = 1 + random.nextInt(7);
    for (int i = 0; i < count; i++) {
      long invoke = random.nextInt(20);
      long returned = invoke + random.nextInt(8);
      int kind = random.nextInt(3);
      RegisterOp<Integer> input =
          kind == 0
              ? RegisterOp.read()
              : kind == 1
                  ? RegisterOp.write(random.nextInt(3))
                  : RegisterOp.cas(random.nextInt(3), random.nextInt(3));
      if (random.nextInt(4) == 0) {
        history.indeterminate(i, input, invoke);
      } else {
        history.ok(i, input, randomOutput(random, input), invoke, returned);
      }
    }
    return history.build();
  }

  private static Response<Integer> randomOutput(
      SplittableRandom random, RegisterOp<Integer> input) {
    if (input instanceof RegisterOp.Read<Integer>) {
      return Response.value(random.nextInt(3));
    }
    if (input instanceof RegisterOp.Write<Integer>) {
      return Response.ack();
    }
    return random.nextBoolean() ? Response.ack() : Response.rejected();
  }
}
