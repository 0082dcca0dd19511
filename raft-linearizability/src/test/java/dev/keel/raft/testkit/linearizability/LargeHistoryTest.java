package dev.keel.raft.testkit.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
    HardHistories.Corrupted corrupted =
        HardHistories.corruptLastRead(KvSimulation.run(SEED, SETTINGS));

    CheckResult result =
        LinearizabilityChecker.check(KvModel.create(), corrupted.history(), HANG_GUARD);

    System.out.printf(
        "linearizability check of %d operations with one corrupted read: %s in %d ms%n",
        corrupted.history().size(), result.outcome(), result.elapsed().toMillis());
    assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
    assertThat(result.violation().orElseThrow().blocked()).isEqualTo(corrupted.read());
  }
}
