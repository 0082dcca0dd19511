package dev.keel.raft.testkit.linearizability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Histories imported from a log of invocation and completion events with explicit times. */
class EventLogTest {

  private final EventLog<KvOp<String, Integer>, Response<Integer>> log = EventLog.create();

  @Test
  void pairsCompletionsWithInvocationsByClient() {
    log.invoke(1, KvOp.put("x", 1), 100)
        .invoke(2, KvOp.get("x"), 110)
        .invoke(3, KvOp.put("x", 2), 115)
        .ok(2, Response.value(1), 130)
        .ok(1, Response.ack(), 140)
        .fail(3, 150)
        .invoke(2, KvOp.put("x", 3), 160)
        .indeterminate(2, 300)
        .invoke(1, KvOp.get("x"), 310);

    assertThat(log.history().operations())
        .containsExactly(
            Operation.completed(0, 1, KvOp.put("x", 1), Response.ack(), 100, 140),
            Operation.completed(1, 2, KvOp.get("x"), Response.value(1), 110, 130),
            Operation.indeterminate(3, 2, KvOp.put("x", 3), 160),
            Operation.indeterminate(4, 1, KvOp.get("x"), 310));
  }

  @Test
  void importedHistoryIsChecked() {
    log.invoke(1, KvOp.put("x", 1), 0)
        .ok(1, Response.ack(), 10)
        .invoke(1, KvOp.put("x", 2), 20)
        .ok(1, Response.ack(), 30)
        .invoke(2, KvOp.get("x"), 40)
        .ok(2, Response.value(1), 50);

    CheckResult result =
        LinearizabilityChecker.check(KvModel.create(), log.history(), Histories.BUDGET);

    assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
    assertThat(result.violation().orElseThrow().blocked().clientId()).isEqualTo(2);
  }

  @Test
  void completionWithoutAnInvocationIsRejected() {
    log.invoke(1, KvOp.get("x"), 0).ok(1, Response.absent(), 5);

    assertThatThrownBy(() -> log.ok(1, Response.absent(), 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("event 3, client 1 at 10: returns absent with no invocation outstanding");
    assertThatThrownBy(() -> log.fail(7, 10))
        .hasMessage("event 4, client 7 at 10: fails with no invocation outstanding");
  }

  @Test
  void secondInvocationWhileOneIsOutstandingIsRejected() {
    log.invoke(1, KvOp.get("x"), 0);

    assertThatThrownBy(() -> log.invoke(1, KvOp.put("x", 1), 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "event 2, client 1 at 10: invokes put(x, 1) while its get(x) invoked at 0 (event 1)"
                + " has not completed; a client runs one operation at a time");
  }

  @Test
  void clientsEventsMustNotGoBackInTime() {
    log.invoke(1, KvOp.get("x"), 100).invoke(2, KvOp.get("x"), 50);

    assertThatThrownBy(() -> log.indeterminate(1, 90))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("event 3, client 1 at 90: goes back in time: its previous event was at 100");
  }
}
