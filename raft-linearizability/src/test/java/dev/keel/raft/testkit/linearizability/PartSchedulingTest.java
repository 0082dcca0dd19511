package dev.keel.raft.testkit.linearizability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parts are searched concurrently and in turns, so one hard part cannot starve the others; the
 * first violation decides; every part's result is reported.
 */
class PartSchedulingTest {

  /** Generous: only a budget-bound search takes it; a test that needs it has failed. */
  private static final Duration HANG_GUARD = Duration.ofMinutes(2);

  /** 50 clients on 10 keys, 2,000 operations, a few timeouts and rejections. */
  private static final KvSimulation.Settings FIFTY_CLIENTS =
      new KvSimulation.Settings(50, 10, 2_000, 100, 20, 0.01, 0.02);

  private static final long SEED = 12;

  @ParameterizedTest(name = "parallelism {0}")
  @ValueSource(ints = {1, 2, 4})
  void violationInAnotherKeyDecidesWhileTheFirstKeyIsUndecidable(int parallelism) {
    HardHistories.Corrupted corrupted =
        HardHistories.corruptLastRead(KvSimulation.run(SEED, FIFTY_CLIENTS));
    History<KvOp<String, Integer>, Response<Integer>> history =
        HardHistories.hardKeyFirst(corrupted.history(), 49);

    CheckResult result =
        LinearizabilityChecker.withBudget(HANG_GUARD)
            .withParallelism(parallelism)
            .check(KvModel.create(), history);

    assertThat(result.outcome())
        .as(result.explanation())
        .isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
    String violatingKey = "key=" + corrupted.read().input().key();
    assertThat(result.violation().orElseThrow().part()).isEqualTo(violatingKey);
    assertThat(result.violation().orElseThrow().blocked().input())
        .isEqualTo(corrupted.read().input());
    List<PartResult> parts = result.parts();
    assertThat(parts).hasSize(11);
    assertThat(parts.get(0).part()).isEqualTo("key=hard");
    assertThat(parts.get(0).status()).isEqualTo(PartResult.Status.STOPPED);
    assertThat(parts)
        .filteredOn(part -> part.part().equals(violatingKey))
        .singleElement()
        .satisfies(part -> assertThat(part.violation()).isPresent())
        .extracting(PartResult::status)
        .isEqualTo(PartResult.Status.NOT_LINEARIZABLE);
    assertThat(result.explanation())
        .contains("get(" + corrupted.read().input().key() + ") -> -1")
        .containsPattern(
            "undecided key=hard \\(50 operations\\): the search stopped once another"
                + " part was found not linearizable");
    assertThat(result.elapsed()).as("far from the budget").isLessThan(HANG_GUARD.dividedBy(4));
  }

  @Test
  void undecidablePartIsNamedAndTheOthersAreStillDecided() {
    History<KvOp<String, Integer>, Response<Integer>> history =
        HardHistories.hardKeyFirst(KvSimulation.run(SEED, FIFTY_CLIENTS), 49);

    CheckResult result =
        LinearizabilityChecker.withBudget(Duration.ofMillis(500))
            .withParallelism(1)
            .check(KvModel.create(), history);

    assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.UNKNOWN);
    PartResult hard = result.parts().get(0);
    assertThat(hard.status()).isEqualTo(PartResult.Status.OUT_OF_TIME);
    assertThat(hard.configurations()).isPositive();
    assertThat(result.parts().subList(1, 11))
        .extracting(PartResult::status)
        .containsOnly(PartResult.Status.LINEARIZABLE);
    assertThat(result.explanation())
        .startsWith("Unknown: the time budget of 500.000ms ran out while checking key=hard")
        .contains("Parts: 11 (10 linearizable, 1 out of time).")
        .contains("undecided key=hard (50 operations): the time budget of 500.000ms ran out;");
  }

  @Test
  void partThatOutgrowsItsShareWaitsForTheOthersAndIsThenDecided() {
    // The hard key needs about 25,000 configurations, some 5 MiB: more than its first share of
    // 16 MiB / 11 parts, less than the whole budget once the other ten parts are decided.
    History<KvOp<String, Integer>, Response<Integer>> history =
        HardHistories.hardKeyFirst(
            KvSimulation.run(SEED, new KvSimulation.Settings(8, 10, 1_000, 100, 20, 0, 0)), 12);

    CheckResult result =
        LinearizabilityChecker.withBudget(HANG_GUARD)
            .withMemoryBudget(16 << 20)
            .withParallelism(1)
            .check(KvModel.create(), history);

    assertThat(result.outcome())
        .as(result.explanation())
        .isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
    assertThat(result.violation().orElseThrow().part()).isEqualTo("key=hard");
    assertThat(result.parts().get(0).configurations()).isGreaterThan(20_000);
  }

  @Test
  void partsThatOutgrowTheSharedMemoryAreGivenUpAndTheOthersDecided() {
    History.Builder<KvOp<String, Integer>, Response<Integer>> builder =
        HardHistories.exponential(Histories.kv(), "a", 30);
    HardHistories.exponential(builder, "b", 30);
    builder.ok(1, KvOp.put("c", 1), Response.ack(), 300, 310);
    builder.ok(2, KvOp.get("c"), Response.value(1), 320, 330);

    CheckResult result =
        LinearizabilityChecker.withBudget(HANG_GUARD)
            .withMemoryBudget(2 << 20)
            .withParallelism(2)
            .check(KvModel.create(), builder.build());

    assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.UNKNOWN);
    assertThat(result.parts())
        .extracting(PartResult::part, PartResult::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("key=a", PartResult.Status.OUT_OF_MEMORY),
            org.assertj.core.groups.Tuple.tuple("key=b", PartResult.Status.OUT_OF_MEMORY),
            org.assertj.core.groups.Tuple.tuple("key=c", PartResult.Status.LINEARIZABLE));
    assertThat(result.explanation()).contains("share of the memory budget of 2 MiB");
    assertThat(result.elapsed()).isLessThan(HANG_GUARD.dividedBy(4));
  }

  @Test
  void verdictsDoNotDependOnParallelism() {
    KvSimulation.Settings settings = new KvSimulation.Settings(6, 5, 300, 40, 10, 0.05, 0.05);
    for (long seed = 1; seed <= 60; seed++) {
      History<KvOp<String, Integer>, Response<Integer>> history = KvSimulation.run(seed, settings);
      HardHistories.Corrupted corrupted = HardHistories.corruptLastRead(history);
      for (int parallelism : new int[] {1, 2, 4}) {
        LinearizabilityChecker checker =
            LinearizabilityChecker.withBudget(HANG_GUARD).withParallelism(parallelism);

        CheckResult clean = checker.check(KvModel.create(), history);
        CheckResult broken = checker.check(KvModel.create(), corrupted.history());

        assertThat(clean.parts())
            .as("seed %d, parallelism %d: %s", seed, parallelism, clean.explanation())
            .extracting(PartResult::status)
            .containsOnly(PartResult.Status.LINEARIZABLE);
        assertThat(broken.violation())
            .as("seed %d, parallelism %d: %s", seed, parallelism, broken.explanation())
            .map(Violation::blocked)
            .contains(corrupted.read());
      }
    }
  }

  @Test
  void thousandsOfSmallPartsAreAllDecided() {
    History<KvOp<String, Integer>, Response<Integer>> history =
        KvSimulation.run(SEED, new KvSimulation.Settings(8, 3_000, 6_000, 100, 20, 0.01, 0.02));
    HardHistories.Corrupted corrupted = HardHistories.corruptLastRead(history);
    for (int parallelism : new int[] {1, 2}) {
      LinearizabilityChecker checker =
          LinearizabilityChecker.withBudget(HANG_GUARD).withParallelism(parallelism);

      CheckResult clean = checker.check(KvModel.create(), history);
      CheckResult broken = checker.check(KvModel.create(), corrupted.history());

      assertThat(clean.parts()).as("parallelism %d", parallelism).hasSizeGreaterThan(2_000);
      assertThat(clean.parts())
          .as("parallelism %d: %s", parallelism, clean.explanation())
          .extracting(PartResult::status)
          .containsOnly(PartResult.Status.LINEARIZABLE);
      assertThat(broken.violation())
          .as("parallelism %d: %s", parallelism, broken.explanation())
          .map(Violation::blocked)
          .contains(corrupted.read());
    }
  }

  @Test
  void aModelThatThrowsFailsTheCheck() {
    Model<Integer, String, String> broken =
        new Model<>() {
          @Override
          public Integer init() {
            return 0;
          }

          @Override
          public Optional<Integer> step(Integer state, String input, @Nullable String output) {
            if (input.equals("boom")) {
              throw new IllegalStateException("model bug on " + input);
            }
            return Optional.of(state);
          }

          @Override
          public List<History<String, String>> partition(History<String, String> history) {
            return history.partitionBy(input -> input);
          }
        };
    History<String, String> history =
        History.<String, String>builder()
            .ok(1, "fine", "ok", 0, 10)
            .ok(2, "boom", "ok", 0, 10)
            .ok(3, "also fine", "ok", 0, 10)
            .build();

    for (int parallelism : new int[] {1, 3}) {
      assertThatThrownBy(
              () ->
                  LinearizabilityChecker.withBudget(HANG_GUARD)
                      .withParallelism(parallelism)
                      .check(broken, history))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("model bug on boom");
    }
  }

  @Test
  void interruptedCheckIsCancelledAndKeepsTheInterrupt() {
    History<KvOp<String, Integer>, Response<Integer>> history =
        HardHistories.hardKeyFirst(KvSimulation.run(SEED, FIFTY_CLIENTS), 49);
    LinearizabilityChecker checker =
        LinearizabilityChecker.withBudget(HANG_GUARD).withParallelism(2);

    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> checker.check(KvModel.create(), history))
          .isInstanceOf(CancellationException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void parallelismMustBePositive() {
    assertThatThrownBy(() -> LinearizabilityChecker.withBudget(HANG_GUARD).withParallelism(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("parallelism");
  }
}
