package dev.keel.raft.testkit.linearizability;

import static dev.keel.raft.testkit.linearizability.ListAppendOp.append;
import static dev.keel.raft.testkit.linearizability.ListAppendOp.read;
import static dev.keel.raft.testkit.linearizability.Response.ack;
import static dev.keel.raft.testkit.linearizability.Response.value;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-written list-append histories, each linearizable or not for one reason. */
class ListAppendHistoriesTest {

  private static History.Builder<ListAppendOp<String, Integer>, Response<List<Integer>>> lists() {
    return History.builder();
  }

  private static CheckResult check(
      History.Builder<ListAppendOp<String, Integer>, Response<List<Integer>>> history) {
    return Histories.check(ListAppendModel.create(), history);
  }

  @Test
  void readsSeeAppendsInOrderAndConcurrentOnesEitherWay() {
    CheckResult result =
        check(
            lists()
                .ok(1, read("x"), value(List.of()), 0, 10)
                .ok(1, append("x", 1), ack(), 20, 30)
                .ok(2, append("x", 2), ack(), 40, 100)
                .ok(3, read("x"), value(List.of(1)), 50, 60)
                .ok(3, read("x"), value(List.of(1, 2)), 70, 80)
                .ok(1, append("y", 9), ack(), 40, 100)
                .ok(4, read("y"), value(List.of(9)), 50, 60));

    assertThat(result.linearizable()).as(result.explanation()).isTrue();
    assertThat(result.parts()).extracting(PartResult::part).containsExactly("key=x", "key=y");
  }

  @Test
  void readThatMissesACompletedAppendIsNotLinearizable() {
    CheckResult result =
        check(
            lists()
                .ok(1, append("x", 1), ack(), 0, 10)
                .ok(2, append("x", 2), ack(), 20, 30)
                .ok(3, read("x"), value(List.of(1)), 40, 50));

    assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
    assertThat(result.explanation()).contains("read(x) -> [1]", "Stuck in state [1, 2]");
  }

  @Test
  void readsThatDisagreeOnTheOrderOfConcurrentAppendsAreNotLinearizable() {
    CheckResult result =
        check(
            lists()
                .ok(1, append("x", 1), ack(), 0, 100)
                .ok(2, append("x", 2), ack(), 0, 100)
                .ok(3, read("x"), value(List.of(1, 2)), 10, 90)
                .ok(4, read("x"), value(List.of(2, 1)), 10, 90));

    assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
  }

  @Test
  void readOfAnElementNeverAppendedIsNotLinearizable() {
    CheckResult result =
        check(
            lists()
                .ok(1, append("x", 1), ack(), 0, 10)
                .ok(2, read("x"), value(List.of(1, 7)), 20, 30));

    assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
    assertThat(result.violation().orElseThrow().part()).isEqualTo("key=x");
  }

  @Test
  void timedOutAppendMayShowUpLaterButNotBeUndone() {
    History.Builder<ListAppendOp<String, Integer>, Response<List<Integer>>> history =
        lists()
            .indeterminate(1, append("x", 1), 0)
            .ok(2, read("x"), value(List.of()), 10, 20)
            .ok(2, read("x"), value(List.of(1)), 500, 510);
    assertThat(check(history).linearizable()).isTrue();

    CheckResult undone = check(history.ok(2, read("x"), value(List.of()), 600, 610));
    assertThat(undone.outcome()).isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
  }

  @Test
  void timedOutReadsAreLeftOut() {
    CheckResult result =
        check(lists().indeterminate(1, read("x"), 0).ok(2, append("x", 1), ack(), 10, 20));

    assertThat(result.parts()).singleElement().extracting(PartResult::operations).isEqualTo(1);
  }
}
