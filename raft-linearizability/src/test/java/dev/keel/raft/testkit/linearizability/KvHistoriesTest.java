package dev.keel.raft.testkit.linearizability;

import static dev.keel.raft.testkit.linearizability.Histories.checkKv;
import static dev.keel.raft.testkit.linearizability.Histories.kv;
import static dev.keel.raft.testkit.linearizability.KvOp.cas;
import static dev.keel.raft.testkit.linearizability.KvOp.delete;
import static dev.keel.raft.testkit.linearizability.KvOp.get;
import static dev.keel.raft.testkit.linearizability.KvOp.put;
import static dev.keel.raft.testkit.linearizability.Response.absent;
import static dev.keel.raft.testkit.linearizability.Response.ack;
import static dev.keel.raft.testkit.linearizability.Response.rejected;
import static dev.keel.raft.testkit.linearizability.Response.value;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Hand-written key-value histories, checked key by key. */
class KvHistoriesTest {

  @Test
  void lostAcknowledgedWriteIsNotLinearizable() {
    CheckResult result =
        checkKv(
            kv().ok(1, put("x", 1), ack(), 0, 10)
                .ok(2, put("x", 2), ack(), 15, 40)
                .ok(3, get("x"), value(1), 20, 30)
                .ok(4, get("x"), value(1), 50, 60)
                .build());

    assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
    Violation violation = result.violation().orElseThrow();
    assertThat(violation.part()).isEqualTo("key=x");
    assertThat(violation.blocked().id()).isEqualTo(3);
    assertThat(result.explanation())
        .contains("in key=x")
        .contains("#3     client 4   [+50ns, +60ns]  get(x) -> 1");
  }

  @Test
  void staleReadIsReportedInItsOwnKey() {
    CheckResult result =
        checkKv(
            kv().ok(1, put("x", 1), ack(), 0, 10)
                .ok(2, put("y", 1), ack(), 0, 10)
                .ok(1, get("x"), value(1), 20, 30)
                .ok(2, put("y", 2), ack(), 20, 30)
                .ok(3, get("y"), value(1), 40, 50)
                .build());

    assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
    assertThat(result.violation().orElseThrow().part()).isEqualTo("key=y");
    assertThat(result.explanation()).contains("get(y) -> 1").doesNotContain("get(x)");
  }

  @Test
  void compareAndSetThatSucceededOnAStaleValueIsNotLinearizable() {
    CheckResult result =
        checkKv(
            kv().ok(1, put("x", 1), ack(), 0, 10)
                .ok(2, put("x", 2), ack(), 20, 30)
                .ok(3, cas("x", 1, 3), ack(), 40, 50)
                .build());

    assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
    assertThat(result.explanation()).contains("client 3", "cas(x, 1, 3) -> ok");
  }

  @Test
  void keysAreCheckedSeparately() {
    History<KvOp<String, Integer>, Response<Integer>> history =
        kv().ok(1, put("x", 1), ack(), 0, 10)
            .ok(2, put("y", 2), ack(), 5, 15)
            .ok(1, get("y"), value(2), 20, 30)
            .ok(2, get("x"), value(1), 20, 30)
            .build();

    assertThat(KvModel.<String, Integer>create().partition(history))
        .extracting(History::label, History::size)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("key=x", 2),
            org.assertj.core.groups.Tuple.tuple("key=y", 2));
    CheckResult result = checkKv(history);
    assertThat(result.linearizable()).as(result.explanation()).isTrue();
    assertThat(result.explanation()).contains("4 operations in 2 parts");
  }

  @Test
  void deleteMakesTheKeyAbsent() {
    History.Builder<KvOp<String, Integer>, Response<Integer>> history =
        kv().ok(1, get("x"), absent(), 0, 10)
            .ok(1, put("x", 1), ack(), 20, 30)
            .ok(2, delete("x"), ack(), 40, 50)
            .ok(3, get("x"), absent(), 60, 70);

    assertThat(checkKv(history.build()).linearizable()).isTrue();
    CheckResult resurrected = checkKv(history.ok(3, get("x"), value(1), 80, 90).build());
    assertThat(resurrected.outcome()).isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
    assertThat(resurrected.explanation()).contains("Stuck in state absent", "get(x) -> 1");
  }

  @Test
  void compareAndSetOfAnAbsentKeyIsRejected() {
    assertThat(checkKv(kv().ok(1, cas("x", 1, 2), rejected(), 0, 10).build()).linearizable())
        .isTrue();
    assertThat(checkKv(kv().ok(1, cas("x", 1, 2), ack(), 0, 10).build()).outcome())
        .isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
  }

  @Test
  void reportMeasuresTimesFromTheStartOfTheWholeHistory() {
    CheckResult result =
        checkKv(
            kv().ok(1, put("x", 1), ack(), 1_000_000, 1_000_100)
                .ok(2, get("y"), value(5), 3_500_000, 4_000_000)
                .build());

    assertThat(result.explanation())
        .contains("[+2.500ms, +3.000ms]  get(y) -> 5")
        .contains("Not even the first operation can be linearized, from the initial state absent");
  }
}
