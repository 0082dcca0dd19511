package dev.keel.raft.testkit.linearizability;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns the deepest dead end of a failed search into a {@link Violation} and its explanation.
 *
 * @param <S> the model's state type
 * @param <I> the input type
 * @param <O> the output type
 */
final class ViolationReport<S, I, O> {

  private static final int MAX_PENDING_LINES = 40;

  private final Model<S, I, O> model;
  private final History<I, O> part;
  private final DeadEnd<S> deadEnd;

  ViolationReport(Model<S, I, O> model, History<I, O> part, DeadEnd<S> deadEnd) {
    this.model = model;
    this.part = part;
    this.deadEnd = deadEnd;
  }

  Violation violation() {
    List<Operation<?, ?>> pending = new ArrayList<>();
    for (int op : deadEnd.pendingOps()) {
      pending.add(operation(op));
    }
    return new Violation(
        part.label(), part.size(), deadEnd.depth(), operation(deadEnd.blockedOp()), pending);
  }

  String explanation() {
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            Locale.ROOT,
            "Not linearizable: no order of the %d operations in %s explains all their results.%n",
            part.size(),
            part.label()));
    appendPrefix(text);
    String state = model.describeState(deadEnd.state());
    text.append(
        String.format(
            Locale.ROOT,
            "Stuck in state %s: this operation had returned, but cannot be linearized next:%n",
            state));
    text.append(line(deadEnd.blockedOp())).append(System.lineSeparator());
    text.append(
        String.format(
            Locale.ROOT,
            "Operations pending at that point, each tried next (and in every order) from state"
                + " %s:%n",
            state));
    int[] pending = deadEnd.pendingOps();
    int omitted = Math.max(0, pending.length - MAX_PENDING_LINES);
    if (omitted > 0) {
      text.append(
          String.format(Locale.ROOT, "  ... %d operations invoked earlier, not shown%n", omitted));
    }
    for (int i = omitted; i < pending.length; i++) {
      text.append(line(pending[i]))
          .append("   <- ")
          .append(verdict(pending[i]))
          .append(System.lineSeparator());
    }
    return text.toString();
  }

  private void appendPrefix(StringBuilder text) {
    int[] recent = deadEnd.recentOps();
    if (recent.length == 0) {
      text.append(
          String.format(
              Locale.ROOT,
              "Not even the first operation can be linearized, from the initial state %s.%n",
              model.describeState(model.init())));
      return;
    }
    text.append(
        String.format(
            Locale.ROOT,
            "The longest linearizable prefix found has %d operations; its last %d, in order,"
                + " with the state after each:%n",
            deadEnd.depth(),
            recent.length));
    for (int i = 0; i < recent.length; i++) {
      text.append(line(recent[i]))
          .append("   => ")
          .append(model.describeState(deadEnd.statesAfter().get(i)))
          .append(System.lineSeparator());
    }
  }

  private String verdict(int op) {
    Operation<I, O> operation = operation(op);
    boolean possible =
        model.step(deadEnd.state(), operation.input(), operation.output()).isPresent();
    return possible
        ? "possible here, but no continuation explains the rest"
        : "impossible in this state";
  }

  private String line(int op) {
    Operation<I, O> operation = operation(op);
    return String.format(
        Locale.ROOT,
        "  #%-5d client %-3d [%s, %s]  %s",
        operation.id(),
        operation.clientId(),
        TimeText.relative(operation.invokeNanos(), part.startNanos()),
        TimeText.relative(operation.returnNanos(), part.startNanos()),
        model.describe(operation.input(), operation.output()));
  }

  private Operation<I, O> operation(int op) {
    return part.operations().get(op);
  }
}
