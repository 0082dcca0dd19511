package dev.keel.raft.testkit.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The search is exponential in the worst case; it gives up with UNKNOWN instead of hanging. */
class CheckerBudgetTest {

  private static final Duration HANG_GUARD = Duration.ofSeconds(60);

  private static History.Builder<KvOp<String, Integer>, Response<Integer>> exponential(
      History.Builder<KvOp<String, Integer>, Response<Integer>> history, String key) {
    return HardHistories.exponential(history, key, 30);
  }

  @Test
  void searchThatCannotFinishInTimeIsUnknown() {
    CheckResult result =
        LinearizabilityChecker.check(
            KvModel.create(), exponential(Histories.kv(), "x").build(), Duration.ofMillis(200));

    assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.UNKNOWN);
    assertThat(result.linearizable()).isFalse();
    assertThat(result.explanation())
        .startsWith("Unknown: the time budget of 200.000ms ran out while checking key=x");
    assertThat(result.elapsed()).isLessThan(HANG_GUARD);
  }

  @Test
  void searchThatOutgrowsItsMemoryBudgetIsUnknown() {
    CheckResult result =
        LinearizabilityChecker.withBudget(HANG_GUARD)
            .withMemoryBudget(1 << 20)
            .check(KvModel.create(), exponential(Histories.kv(), "x").build());

    assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.UNKNOWN);
    assertThat(result.explanation()).contains("memory budget of 1 MiB");
  }

  @Test
  void violationInOneKeyDecidesEvenIfAnotherKeyIsUnknown() {
    History.Builder<KvOp<String, Integer>, Response<Integer>> history =
        exponential(Histories.kv(), "slow");
    history.ok(9, KvOp.put("y", 1), Response.ack(), 0, 10);
    history.ok(9, KvOp.get("y"), Response.absent(), 20, 30);

    CheckResult result =
        LinearizabilityChecker.withBudget(HANG_GUARD)
            .withMemoryBudget(1 << 20)
            .check(KvModel.create(), history.build());

    assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
    assertThat(result.violation().orElseThrow().part()).isEqualTo("key=y");
  }
}
