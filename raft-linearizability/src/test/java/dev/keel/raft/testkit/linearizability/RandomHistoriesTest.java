package dev.keel.raft.testkit.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Property-style checks over small random histories from the simulated linearizable store: every
 * one must pass, and every one must fail once a single read is made to return a value that was
 * never written. Seeds are fixed and named in every failure.
 */
class RandomHistoriesTest {

  private static final int SEEDS = 300;
  private static final Duration BUDGET = Duration.ofSeconds(30);
  private static final KvSimulation.Settings SMALL =
      new KvSimulation.Settings(4, 2, 40, 30, 10, 0.08, 0.05);

  @Test
  void simulatedHistoriesAreLinearizable() {
    for (long seed = 1; seed <= SEEDS; seed++) {
      History<KvOp<String, Integer>, Response<Integer>> history = KvSimulation.run(seed, SMALL);

      CheckResult result = LinearizabilityChecker.check(KvModel.create(), history, BUDGET);

      assertThat(result.outcome())
          .as("seed %d: %s", seed, result.explanation())
          .isEqualTo(CheckResult.Outcome.LINEARIZABLE);
    }
  }

  @Test
  void readOfANeverWrittenValueMakesEveryHistoryFail() {
    int mutated = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      List<Operation<KvOp<String, Integer>, Response<Integer>>> operations =
          new ArrayList<>(KvSimulation.run(seed, SMALL).operations());
      List<Integer> reads = completedReads(operations);
      if (reads.isEmpty()) {
        continue;
      }
      int victim = reads.get(new SplittableRandom(seed).nextInt(reads.size()));
      Operation<KvOp<String, Integer>, Response<Integer>> corrupted =
          operations.get(victim).withOutput(Response.value(-1));
      operations.set(victim, corrupted);

      CheckResult result =
          LinearizabilityChecker.check(KvModel.create(), History.of(operations), BUDGET);

      assertThat(result.outcome())
          .as("seed %d, corrupted %s: %s", seed, corrupted, result.explanation())
          .isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
      assertThat(result.explanation())
          .as("seed %d", seed)
          .contains("#" + corrupted.id() + " ")
          .contains(corrupted.input() + " -> -1");
      mutated++;
    }
    assertThat(mutated).as("histories with a read to corrupt").isGreaterThan(SEEDS * 9 / 10);
  }

  private static List<Integer> completedReads(
      List<Operation<KvOp<String, Integer>, Response<Integer>>> operations) {
    List<Integer> reads = new ArrayList<>();
    for (int i = 0; i < operations.size(); i++) {
      Operation<KvOp<String, Integer>, Response<Integer>> op = operations.get(i);
      if (op.input() instanceof KvOp.Get<String, Integer> && !op.isIndeterminate()) {
        reads.add(i);
      }
    }
    return reads;
  }
}
