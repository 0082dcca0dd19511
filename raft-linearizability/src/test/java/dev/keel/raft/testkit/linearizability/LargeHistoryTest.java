package dev.keel.raft.testkit.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A CI-sized history: 10,000 operations over 10 keys from 8 concurrent clients. The check time is
 * printed for measurement, not asserted; the budget only guards against a hang.
 */
class LargeHistoryTest {

  private static final long SEED = 20_240_601L;
  private static final Duration HANG_GUARD = Duration.ofSeconds(60);
  private static final KvSimulation.Settings SETTINGS =
      new KvSimulation.Settings(8, 10, 10_000, 100, 20, 0.01, 0.02);

  @Test
  void tenThousandOperationsFromEightClientsAreLinearizable() {
    History<KvOp<String, Integer>, Response<Integer>> history = KvSimulation.run(SEED, SETTINGS);

    CheckResult result = LinearizabilityChecker.check(KvModel.create(), history, HANG_GUARD);

    System.out.printf(
        "linearizability check of %d operations (%d indeterminate): %s in %d ms%n",
        history.size(),
        history.operations().stream().filter(Operation::isIndeterminate).count(),
        result.outcome(),
        result.elapsed().toMillis());
    assertThat(history.size()).isGreaterThan(9_500);
    assertThat(result.outcome())
        .as(result.explanation())
        .isEqualTo(CheckResult.Outcome.LINEARIZABLE);
  }

  @Test
  void oneCorruptedReadInTenThousandOperationsIsFound() {
    History<KvOp<String, Integer>, Response<Integer>> history = KvSimulation.run(SEED, SETTINGS);
    List<Operation<KvOp<String, Integer>, Response<Integer>>> operations =
        new ArrayList<>(history.operations());
    int victim = lastCompletedGet(operations);
    operations.set(victim, operations.get(victim).withOutput(Response.value(-1)));

    CheckResult result =
        LinearizabilityChecker.check(KvModel.create(), History.of(operations), HANG_GUARD);

    System.out.printf(
        "linearizability check of %d operations with one corrupted read: %s in %d ms%n",
        operations.size(), result.outcome(), result.elapsed().toMillis());
    assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
    assertThat(result.violation().orElseThrow().blocked())
        .isEqualTo(operations.get(victim).withOutput(Response.value(-1)));
  }

  private static int lastCompletedGet(
      List<Operation<KvOp<String, Integer>, Response<Integer>>> operations) {
    for (int i = operations.size() - 1; ; i--) {
      Operation<KvOp<String, Integer>, Response<Integer>> op = operations.get(i);
      if (op.input() instanceof KvOp.Get<String, Integer> && !op.isIndeterminate()) {
        return i;
      }
    }
  }
}
