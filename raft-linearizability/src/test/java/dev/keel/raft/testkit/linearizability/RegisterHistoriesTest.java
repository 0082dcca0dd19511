package dev.keel.raft.testkit.linearizability;

import static dev.keel.raft.testkit.linearizability.Histories.checkRegister;
import static dev.keel.raft.testkit.linearizability.Histories.register;
import static dev.keel.raft.testkit.linearizability.RegisterOp.cas;
import static dev.keel.raft.testkit.linearizability.RegisterOp.read;
import static dev.keel.raft.testkit.linearizability.RegisterOp.write;
import static dev.keel.raft.testkit.linearizability.Response.ack;
import static dev.keel.raft.testkit.linearizability.Response.rejected;
import static dev.keel.raft.testkit.linearizability.Response.value;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Hand-written register histories, each linearizable or not for one reason. */
class RegisterHistoriesTest {

  @Test
  void emptyHistoryIsLinearizable() {
    CheckResult result = checkRegister(register().build());

    assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.LINEARIZABLE);
    assertThat(result.violation()).isEmpty();
  }

  @Test
  void sequentialWritesReadsAndCompareAndSetsAreLinearizable() {
    CheckResult result =
        checkRegister(
            register()
                .ok(1, read(), value(0), 0, 10)
                .ok(1, write(1), ack(), 20, 30)
                .ok(2, cas(1, 2), ack(), 40, 50)
                .ok(3, cas(1, 3), rejected(), 60, 70)
                .ok(2, read(), value(2), 80, 90)
                .build());

    assertThat(result.linearizable()).as(result.explanation()).isTrue();
  }

  @Test
  void staleReadAfterACompletedWriteIsNotLinearizable() {
    CheckResult result =
        checkRegister(
            register()
                .ok(1, write(1), ack(), 0, 10)
                .ok(2, write(2), ack(), 20, 30)
                .ok(3, read(), value(1), 40, 50)
                .build());

    assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
    Violation violation = result.violation().orElseThrow();
    assertThat(violation.blocked().id()).isEqualTo(2);
    assertThat(violation.longestPrefix()).isEqualTo(2);
    assertThat(result.explanation())
        .contains("#2     client 3   [+40ns, +50ns]  read() -> 1")
        .contains("Stuck in state 2")
        .contains("write(2) -> ok   => 2");
  }

  @Test
  void readOfAValueNeverWrittenIsNotLinearizable() {
    CheckResult result =
        checkRegister(
            register()
                .ok(1, write(1), ack(), 0, 10)
                .ok(2, read(), value(7), 5, 50)
                .ok(1, write(2), ack(), 20, 30)
                .build());

    assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
    assertThat(result.violation().orElseThrow().blocked().id()).isEqualTo(1);
    assertThat(result.explanation()).contains("client 2", "read() -> 7   <- impossible");
  }

  @Test
  void compareAndSetThatSucceededOnAStaleValueIsNotLinearizable() {
    CheckResult result =
        checkRegister(
            register()
                .ok(1, write(1), ack(), 0, 10)
                .ok(2, write(2), ack(), 20, 30)
                .ok(3, cas(1, 3), ack(), 40, 50)
                .ok(1, read(), value(3), 60, 70)
                .build());

    assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
    assertThat(result.violation().orElseThrow().blocked().id()).isEqualTo(2);
    assertThat(result.explanation()).contains("client 3", "cas(1, 3) -> ok");
  }

  @Test
  void readsMustNotGoBackInTimeDuringAWrite() {
    CheckResult result =
        checkRegister(
            register()
                .ok(1, write(1), ack(), 0, 100)
                .ok(2, read(), value(1), 10, 20)
                .ok(3, read(), value(0), 30, 40)
                .build());

    assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
    assertThat(result.violation().orElseThrow().blocked().clientId()).isEqualTo(3);
  }

  @Test
  void readConcurrentWithAWriteMaySeeEitherValue() {
    for (int seen = 0; seen <= 1; seen++) {
      CheckResult result =
          checkRegister(
              register().ok(1, write(1), ack(), 0, 100).ok(2, read(), value(seen), 10, 20).build());

      assertThat(result.linearizable()).as(result.explanation()).isTrue();
    }
  }

  @Test
  void concurrentOperationsLinearizableInOnlyOneOrderPass() {
    // The only order: write(2), read -> 2, write(1), cas(1, 3), read -> 3. The search tries
    // write(1) first, as it was invoked first, so it must backtrack to find it.
    CheckResult result =
        checkRegister(
            register()
                .ok(1, write(1), ack(), 0, 100)
                .ok(2, write(2), ack(), 1, 100)
                .ok(3, read(), value(2), 2, 50)
                .ok(4, cas(1, 3), ack(), 3, 120)
                .ok(3, read(), value(3), 130, 140)
                .build());

    assertThat(result.linearizable()).as(result.explanation()).isTrue();
  }

  @Test
  void operationsTouchingAtAnInstantCountAsConcurrent() {
    CheckResult result =
        checkRegister(
            register().ok(1, read(), value(1), 0, 10).ok(2, write(1), ack(), 10, 20).build());

    assertThat(result.linearizable()).as(result.explanation()).isTrue();
  }

  @Test
  void registerThatStartsEmptyReadsAbsent() {
    History<RegisterOp<String>, Response<String>> history =
        History.<RegisterOp<String>, Response<String>>builder()
            .ok(1, RegisterOp.read(), Response.absent(), 0, 10)
            .ok(1, RegisterOp.write("a"), Response.ack(), 20, 30)
            .ok(2, RegisterOp.read(), Response.absent(), 40, 50)
            .build();

    CheckResult result =
        LinearizabilityChecker.check(RegisterModel.empty(), history, Histories.BUDGET);

    assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
    assertThat(result.explanation()).contains("read() -> absent", "Stuck in state a");
  }
}
