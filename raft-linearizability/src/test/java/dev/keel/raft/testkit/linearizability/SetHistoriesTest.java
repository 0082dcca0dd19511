package dev.keel.raft.testkit.linearizability;

import static dev.keel.raft.testkit.linearizability.Response.ack;
import static dev.keel.raft.testkit.linearizability.Response.value;
import static dev.keel.raft.testkit.linearizability.SetOp.add;
import static dev.keel.raft.testkit.linearizability.SetOp.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hand-written set histories, each linearizable or not for one reason. */
class SetHistoriesTest {

  private static History.Builder<SetOp<Integer>, Response<Set<Integer>>> sets() {
    return History.builder();
  }

  private static CheckResult check(
      History.Builder<SetOp<Integer>, Response<Set<Integer>>> history) {
    return Histories.check(SetModel.create(), history);
  }

  @Test
  void readsSeeEveryCompletedAddAndConcurrentOnesEitherWay() {
    CheckResult result =
        check(
            sets()
                .ok(1, read(), value(Set.of()), 0, 10)
                .ok(1, add(1), ack(), 20, 30)
                .ok(2, add(2), ack(), 40, 100)
                .ok(2, add(1), ack(), 40, 100)
                .ok(3, read(), value(Set.of(1)), 50, 60)
                .ok(3, read(), value(Set.of(1, 2)), 110, 120));

    assertThat(result.linearizable()).as(result.explanation()).isTrue();
  }

  @Test
  void readThatMissesACompletedAddIsNotLinearizable() {
    CheckResult result =
        check(
            sets()
                .ok(1, add(1), ack(), 0, 10)
                .ok(2, add(2), ack(), 20, 30)
                .ok(3, read(), value(Set.of(2)), 40, 50));

    assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
    assertThat(result.explanation()).contains("read() -> [2]");
  }

  @Test
  void readsThatDisagreeOnWhichConcurrentAddCameFirstAreNotLinearizable() {
    CheckResult result =
        check(
            sets()
                .ok(1, add(1), ack(), 0, 100)
                .ok(2, add(2), ack(), 0, 100)
                .ok(3, read(), value(Set.of(1)), 10, 20)
                .ok(4, read(), value(Set.of(2)), 10, 20));

    assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
  }

  @Test
  void readOfAnElementNeverAddedIsNotLinearizable() {
    CheckResult result =
        check(sets().ok(1, add(1), ack(), 0, 10).ok(2, read(), value(Set.of(1, 3)), 20, 30));

    assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
  }

  @Test
  void timedOutAddMayOrMayNotHaveHappened() {
    for (Set<Integer> seen : java.util.List.of(Set.<Integer>of(), Set.of(5))) {
      CheckResult result =
          check(sets().indeterminate(1, add(5), 0).ok(2, read(), value(seen), 10, 20));

      assertThat(result.linearizable()).as(result.explanation()).isTrue();
    }
  }
}
