package dev.keel.raft.testkit.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A user's model written as a function from state and input to state and output. */
class DeterministicModelTest {

  /** The counter of {@link DeterministicModel}'s documentation: add a delta, get the new value. */
  static final class AddAndGet implements DeterministicModel<Long, Long, Long> {
    @Override
    public Long init() {
      return 0L;
    }

    @Override
    public Transition<Long, Long> apply(Long state, Long delta) {
      return new Transition<>(state + delta, state + delta);
    }

    @Override
    public boolean isReadOnly(Long delta) {
      return delta == 0;
    }
  }

  private static CheckResult check(History.Builder<Long, Long> history) {
    return Histories.check(new AddAndGet(), history);
  }

  @Test
  void outputsMustBeTheOnesTheFunctionGives() {
    assertThat(
            check(History.<Long, Long>builder().ok(1, 2L, 2L, 0, 10).ok(2, 0L, 2L, 20, 30))
                .linearizable())
        .isTrue();
    assertThat(
            check(History.<Long, Long>builder().ok(1, 2L, 2L, 0, 10).ok(2, 0L, 0L, 20, 30))
                .outcome())
        .isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
  }

  @Test
  void indeterminateOperationsMayTakeEffectOrNot() {
    for (long seen : new long[] {0, 5}) {
      CheckResult result =
          check(History.<Long, Long>builder().indeterminate(1, 5L, 0).ok(2, 0L, seen, 10, 20));

      assertThat(result.linearizable()).as("read %d: %s", seen, result.explanation()).isTrue();
    }
  }

  @Test
  void indeterminateReadOnlyOperationsAreLeftOut() {
    CheckResult result =
        check(History.<Long, Long>builder().indeterminate(1, 0L, 0).ok(2, 1L, 1L, 10, 20));

    assertThat(result.parts()).singleElement().extracting(PartResult::operations).isEqualTo(1);
  }
}
