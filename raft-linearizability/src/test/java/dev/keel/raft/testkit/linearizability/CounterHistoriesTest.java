package dev.keel.raft.testkit.linearizability;

import static dev.keel.raft.testkit.linearizability.CounterOp.add;
import static dev.keel.raft.testkit.linearizability.CounterOp.read;
import static dev.keel.raft.testkit.linearizability.Response.ack;
import static dev.keel.raft.testkit.linearizability.Response.value;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Hand-written counter histories, each linearizable or not for one reason. */
class CounterHistoriesTest {

  private static History.Builder<CounterOp, Response<Long>> counter() {
    return History.builder();
  }

  private static CheckResult check(History.Builder<CounterOp, Response<Long>> history) {
    return Histories.check(CounterModel.create(), history);
  }

  @Test
  void addsAcknowledgedOrAnsweredWithTheNewValueAndReadsPass() {
    CheckResult result =
        check(
            counter()
                .ok(1, add(5), ack(), 0, 10)
                .ok(2, add(1), value(6L), 20, 100)
                .ok(3, add(-2), value(4L), 30, 90)
                .ok(4, read(), value(5L), 40, 50)
                .ok(4, read(), value(4L), 110, 120));

    assertThat(result.linearizable()).as(result.explanation()).isTrue();
  }

  @Test
  void lostIncrementIsNotLinearizable() {
    CheckResult result =
        check(
            counter()
                .ok(1, add(1), ack(), 0, 10)
                .ok(2, add(1), ack(), 20, 30)
                .ok(3, read(), value(1L), 40, 50));

    assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
    assertThat(result.explanation()).contains("read() -> 1", "Stuck in state 2");
  }

  @Test
  void twoAddsThatReturnTheSameNewValueAreNotLinearizable() {
    CheckResult result =
        check(counter().ok(1, add(1), value(1L), 0, 10).ok(2, add(1), value(1L), 0, 10));

    assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
  }

  @Test
  void counterStartsWhereItIsTold() {
    History.Builder<CounterOp, Response<Long>> history = counter().ok(1, add(1), value(11L), 0, 10);

    assertThat(Histories.check(CounterModel.startingAt(10), history).linearizable()).isTrue();
    assertThat(check(history).linearizable()).isFalse();
  }

  @Test
  void timedOutAddMayHaveHappenedOnce() {
    History.Builder<CounterOp, Response<Long>> history =
        counter().indeterminate(1, add(3), 0).ok(2, read(), value(3L), 10, 20);
    assertThat(check(history).linearizable()).isTrue();

    assertThat(check(history.ok(2, read(), value(6L), 30, 40)).outcome())
        .isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
  }
}
