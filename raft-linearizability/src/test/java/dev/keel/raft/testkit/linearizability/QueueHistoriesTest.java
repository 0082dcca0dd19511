package dev.keel.raft.testkit.linearizability;

import static dev.keel.raft.testkit.linearizability.QueueOp.dequeue;
import static dev.keel.raft.testkit.linearizability.QueueOp.enqueue;
import static dev.keel.raft.testkit.linearizability.Response.absent;
import static dev.keel.raft.testkit.linearizability.Response.ack;
import static dev.keel.raft.testkit.linearizability.Response.value;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Hand-written FIFO queue histories, each linearizable or not for one reason. */
class QueueHistoriesTest {

  private static History.Builder<QueueOp<String>, Response<String>> queue() {
    return History.builder();
  }

  private static CheckResult check(History.Builder<QueueOp<String>, Response<String>> history) {
    return Histories.check(QueueModel.create(), history);
  }

  @Test
  void elementsComeOutInTheOrderTheyWentIn() {
    CheckResult result =
        check(
            queue()
                .ok(1, dequeue(), absent(), 0, 10)
                .ok(1, enqueue("a"), ack(), 20, 30)
                .ok(2, enqueue("b"), ack(), 40, 50)
                .ok(3, dequeue(), value("a"), 60, 70)
                .ok(3, dequeue(), value("b"), 80, 90)
                .ok(3, dequeue(), absent(), 100, 110));

    assertThat(result.linearizable()).as(result.explanation()).isTrue();
  }

  @Test
  void concurrentEnqueuesMayComeOutEitherWay() {
    CheckResult result =
        check(
            queue()
                .ok(1, enqueue("a"), ack(), 0, 100)
                .ok(2, enqueue("b"), ack(), 0, 100)
                .ok(3, dequeue(), value("b"), 110, 120)
                .ok(3, dequeue(), value("a"), 130, 140));

    assertThat(result.linearizable()).as(result.explanation()).isTrue();
  }

  @Test
  void elementsOutOfOrderAreNotLinearizable() {
    CheckResult result =
        check(
            queue()
                .ok(1, enqueue("a"), ack(), 0, 10)
                .ok(1, enqueue("b"), ack(), 20, 30)
                .ok(2, dequeue(), value("b"), 40, 50));

    assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
    assertThat(result.explanation()).contains("dequeue() -> b", "Stuck in state [a, b]");
  }

  @Test
  void elementTakenTwiceIsNotLinearizable() {
    CheckResult result =
        check(
            queue()
                .ok(1, enqueue("a"), ack(), 0, 10)
                .ok(2, dequeue(), value("a"), 20, 30)
                .ok(3, dequeue(), value("a"), 20, 30));

    assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
  }

  @Test
  void emptyAnswerWhileAnElementWaitsIsNotLinearizable() {
    CheckResult result =
        check(queue().ok(1, enqueue("a"), ack(), 0, 10).ok(2, dequeue(), absent(), 20, 30));

    assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.NOT_LINEARIZABLE);
  }

  @Test
  void timedOutDequeueMayHaveTakenTheHead() {
    CheckResult result =
        check(
            queue()
                .ok(1, enqueue("a"), ack(), 0, 10)
                .ok(1, enqueue("b"), ack(), 20, 30)
                .indeterminate(2, dequeue(), 40)
                .ok(3, dequeue(), value("b"), 50, 60));

    assertThat(result.linearizable()).as(result.explanation()).isTrue();
    assertThat(result.parts()).singleElement().extracting(PartResult::operations).isEqualTo(4);
  }
}
