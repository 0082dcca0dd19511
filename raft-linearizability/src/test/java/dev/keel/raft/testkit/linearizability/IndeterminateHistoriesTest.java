package dev.keel.raft.testkit.linearizability;

import static dev.keel.raft.testkit.linearizability.Histories.checkRegister;
import static dev.keel.raft.testkit.linearizability.Histories.register;
import static dev.keel.raft.testkit.linearizability.RegisterOp.cas;
import static dev.keel.raft.testkit.linearizability.RegisterOp.read;
import static dev.keel.raft.testkit.linearizability.RegisterOp.write;
import static dev.keel.raft.testkit.linearizability.Response.ack;
import static dev.keel.raft.testkit.linearizability.Response.value;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Timed-out operations may take effect at any time after their invocation, even long after the
 * client gave up, or never.
 */
class IndeterminateHistoriesTest {

  @Test
  void timedOutWriteLaterObservedByAReadIsLinearizable() {
    CheckResult result =
        checkRegister(
            register()
                .ok(1, write(1), ack(), 0, 10)
                .indeterminate(2, write(2), 20)
                .ok(3, read(), value(1), 30, 40)
                .ok(3, read(), value(2), 500, 510)
                .build());

    assertThat(result.linearizable()).as(result.explanation()).isTrue();
  }

  @Test
  void timedOutWriteNeverObservedIsLinearizable() {
    CheckResult result =
        checkRegister(
            register()
                .ok(1, write(1), ack(), 0, 10)
                .indeterminate(2, write(2), 20)
                .ok(3, read(), value(1), 30, 40)
                .ok(3, read(), value(1), 500, 510)
                .build());

    assertThat(result.linearizable()).as(result.explanation()).isTrue();
  }

  @Test
  void timedOutWriteCannotBeUndoneOnceObserved() {
    CheckResult result =
        checkRegister(
            register()
                .ok(1, write(1), ack(), 0, 10)
                .indeterminate(2, write(2), 20)
                .ok(3, read(), value(2), 30, 40)
                .ok(3, read(), value(1), 50, 60)
                .build());

    assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
    assertThat(result.explanation())
        .contains("[+20ns, never]  write(2) -> ? (indeterminate)")
        .contains("[+50ns, +60ns]  read() -> 1");
  }

  @Test
  void timedOutWriteCannotTakeEffectBeforeItWasInvoked() {
    CheckResult result =
        checkRegister(
            register().ok(1, read(), value(2), 0, 10).indeterminate(2, write(2), 20).build());

    assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
  }

  @Test
  void timedOutCompareAndSetMayOrMayNotHaveSucceeded() {
    for (int seen : new int[] {0, 5}) {
      CheckResult result =
          checkRegister(
              register().indeterminate(1, cas(0, 5), 0).ok(2, read(), value(seen), 10, 20).build());

      assertThat(result.linearizable()).as(result.explanation()).isTrue();
    }
  }

  @Test
  void timedOutReadsAreIgnored() {
    History<RegisterOp<Integer>, Response<Integer>> history =
        register().indeterminate(1, read(), 0).ok(2, write(1), ack(), 10, 20).build();

    CheckResult result = checkRegister(history);

    assertThat(result.linearizable()).isTrue();
    assertThat(result.parts()).singleElement().extracting(PartResult::operations).isEqualTo(1);
  }

  @Test
  void manyTimedOutWritesThatNeverTookEffectStillPass() {
    History.Builder<RegisterOp<Integer>, Response<Integer>> history = register();
    for (int i = 0; i < 40; i++) {
      history.indeterminate(1 + i % 4, write(100 + i), 10L * i);
      history.ok(5, read(), value(0), 10L * i + 5, 10L * i + 6);
    }

    CheckResult result = checkRegister(history.build());

    assertThat(result.linearizable()).as(result.explanation()).isTrue();
  }
}
