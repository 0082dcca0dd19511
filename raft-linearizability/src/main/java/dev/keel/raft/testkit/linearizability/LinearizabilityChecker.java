package dev.keel.raft.testkit.linearizability;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether a recorded {@link History} is linearizable under a sequential {@link Model}.
 *
 * <p>Each part of the model's {@link Model#partition partition} is searched separately with the
 * Wing–Gong–Lowe algorithm (depth-first over orders consistent with real time, memoizing
 * (linearized set, state) pairs, as in Porcupine and Knossos). The search is exponential in the
 * worst case, so it runs on a budget: past it the outcome is {@link CheckResult.Outcome#UNKNOWN},
 * never a hang.
 *
 * <pre>{@code
 * CheckResult result =
 *     LinearizabilityChecker.check(KvModel.create(), recorder.history(), Duration.ofSeconds(30));
 * assertThat(result.linearizable()).as(result.explanation()).isTrue();
 * }</pre>
 */
public final class LinearizabilityChecker {

  /** The default memory budget of one part's memo: 512 MiB, estimated. */
  public static final long DEFAULT_MEMORY_BYTES = 512L << 20;

  private final Duration timeBudget;
  private final long memoryBytes;

  private LinearizabilityChecker(Duration timeBudget, long memoryBytes) {
    if (timeBudget.isNegative() || memoryBytes <= 0) {
      throw new IllegalArgumentException("budgets must be positive");
    }
    this.timeBudget = timeBudget;
    this.memoryBytes = memoryBytes;
  }

  /**
   * A checker that gives up with {@code UNKNOWN} after {@code timeBudget}, or once one part's memo
   * of explored configurations is estimated to hold {@link #DEFAULT_MEMORY_BYTES}.
   */
  public static LinearizabilityChecker withBudget(Duration timeBudget) {
    return new LinearizabilityChecker(timeBudget, DEFAULT_MEMORY_BYTES);
  }

  /**
   * A copy that gives up once one part's memo is estimated to hold {@code bytes}: each explored
   * configuration costs about {@code 100 + operations / 8} bytes plus its state.
   */
  public LinearizabilityChecker withMemoryBudget(long bytes) {
    return new LinearizabilityChecker(timeBudget, bytes);
  }

  /** Checks {@code history} against {@code model} within {@code timeBudget}. */
  public static <S, I, O> CheckResult check(
      Model<S, I, O> model, History<I, O> history, Duration timeBudget) {
    return withBudget(timeBudget).check(model, history);
  }

  /**
   * Checks {@code history} against {@code model}. A violation in any part decides the outcome, even
   * if another part ran out of budget.
   */
  public <S, I, O> CheckResult check(Model<S, I, O> model, History<I, O> history) {
    long started = System.nanoTime();
    Budget budget = new Budget(timeBudget, memoryBytes);
    List<History<I, O>> parts = model.partition(history);
    String unknown = null;
    for (History<I, O> part : parts) {
      PartitionOutcome<S> outcome = new WglSearch<>(model, part, budget).run();
      if (outcome.verdict() == PartitionOutcome.Verdict.VIOLATION && outcome.deepest() != null) {
        ViolationReport<S, I, O> report = new ViolationReport<>(model, part, outcome.deepest());
        return new CheckResult(
            CheckResult.Outcome.NOT_LINEARIZABLE,
            report.explanation(),
            report.violation(),
            since(started));
      }
      if (outcome.verdict() == PartitionOutcome.Verdict.ABORTED && unknown == null) {
        unknown =
            String.format(
                Locale.ROOT,
                "Unknown: %s while checking %s (%d operations, %d configurations explored).",
                outcome.abortReason(),
                part.label(),
                part.size(),
                outcome.configurations());
      }
    }
    Duration elapsed = since(started);
    if (unknown != null) {
      return new CheckResult(CheckResult.Outcome.UNKNOWN, unknown, null, elapsed);
    }
    String summary =
        String.format(
            Locale.ROOT,
            "Linearizable: %d operations in %d parts, checked in %s.",
            history.size(),
            parts.size(),
            TimeText.duration(elapsed.toNanos()));
    return new CheckResult(CheckResult.Outcome.LINEARIZABLE, summary, null, elapsed);
  }

  private static Duration since(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }
}
