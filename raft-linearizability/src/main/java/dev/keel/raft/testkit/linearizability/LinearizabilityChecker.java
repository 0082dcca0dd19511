package dev.keel.raft.testkit.linearizability;

import java.time.Duration;
import java.util.List;

/**
 * Decides whether a recorded {@link History} is linearizable under a sequential {@link Model}.
 *
 * <p>Each part of the model's {@link Model#partition partition} is searched separately with the
 * Wing–Gong–Lowe algorithm (depth-first over orders consistent with real time, memoizing
 * (linearized set, state) pairs, as in Porcupine and Knossos). The search is exponential in the
 * worst case, so it runs on a budget: past it the outcome is {@link CheckResult.Outcome#UNKNOWN},
 * never a hang.
 *
 * <p>Parts are searched concurrently, on up to {@link #withParallelism parallelism} threads, in
 * time slices taken round-robin, so one hard part cannot starve the others: every part gets its
 * turn early, and the first violation found anywhere stops the check with {@link
 * CheckResult.Outcome#NOT_LINEARIZABLE}, even while other parts are undecided. The memory budget is
 * shared by the parts not yet decided. {@link CheckResult#parts()} tells what became of each part.
 * The verdict does not depend on the parallelism, unless a budget runs out.
 *
 * <pre>{@code
 * CheckResult result =
 *     LinearizabilityChecker.check(KvModel.create(), recorder.history(), Duration.ofSeconds(30));
 * assertThat(result.linearizable()).as(result.explanation()).isTrue();
 * }</pre>
 *
 * <p>Before partitioning, the checker leaves out indeterminate operations that the model declares
 * {@link Model#isReadOnly read-only}: they changed nothing and nobody saw their result.
 */
public final class LinearizabilityChecker {

  /**
   * The default memory budget: 512 MiB, estimated, for the memos of all parts together. A part's
   * share is the budget divided by the number of parts not yet decided.
   */
  public static final long DEFAULT_MEMORY_BYTES = 512L << 20;

  private final Duration timeBudget;
  private final long memoryBytes;
  private final int parallelism;

  private LinearizabilityChecker(Duration timeBudget, long memoryBytes, int parallelism) {
    if (timeBudget.isNegative() || memoryBytes <= 0) {
      throw new IllegalArgumentException("budgets must be positive");
    }
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
    }
    this.timeBudget = timeBudget;
    this.memoryBytes = memoryBytes;
    this.parallelism = parallelism;
  }

  /**
   * A checker that answers within about {@code timeBudget}, giving up on the parts it has not
   * decided by then, with a memory budget of {@link #DEFAULT_MEMORY_BYTES} and as many threads as
   * the machine has processors.
   */
  public static LinearizabilityChecker withBudget(Duration timeBudget) {
    return new LinearizabilityChecker(
        timeBudget, DEFAULT_MEMORY_BYTES, Runtime.getRuntime().availableProcessors());
  }

  /**
   * A copy whose memos, all parts together, may hold an estimated {@code bytes}: each explored
   * configuration costs about {@code 100 + operations / 8} bytes plus its state. A part whose memo
   * reaches its share (the budget divided by the parts not yet decided) waits for the share to grow
   * as other parts are decided; if no other part can free any, it is given up as {@link
   * PartResult.Status#OUT_OF_MEMORY}.
   */
  public LinearizabilityChecker withMemoryBudget(long bytes) {
    return new LinearizabilityChecker(timeBudget, bytes, parallelism);
  }

  /**
   * A copy that searches up to {@code threads} parts at once. With 1, parts are searched on the
   * calling thread, still in round-robin slices.
   */
  public LinearizabilityChecker withParallelism(int threads) {
    return new LinearizabilityChecker(timeBudget, memoryBytes, threads);
  }

  /** Checks {@code history} against {@code model} within {@code timeBudget}. */
  public static <S, I, O> CheckResult check(
      Model<S, I, O> model, History<I, O> history, Duration timeBudget) {
    return withBudget(timeBudget).check(model, history);
  }

  /**
   * Checks {@code history} against {@code model}. A violation in any part decides the outcome, even
   * if another part ran out of budget.
   *
   * @throws java.util.concurrent.CancellationException if the calling thread is interrupted
   */
  public <S, I, O> CheckResult check(Model<S, I, O> model, History<I, O> history) {
    long started = System.nanoTime();
    History<I, O> relevant =
        history.subset(
            history.label(), op -> !(op.isIndeterminate() && model.isReadOnly(op.input())));
    List<History<I, O>> parts = model.partition(relevant);
    Budget budget = new Budget(timeBudget, memoryBytes, parts.size());
    PartScheduler.Outcome outcome = new PartScheduler<>(model, parts, budget, parallelism).run();
    List<PartResult> results = outcome.parts();
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    ViolationReport<?, ?, ?> violation = outcome.firstViolation();
    if (violation != null) {
      return new CheckResult(
          CheckResult.Outcome.NOT_LINEARIZABLE,
          Summary.notLinearizable(violation.explanation(), results, budget),
          violation.violation(),
          elapsed,
          results);
    }
    if (results.stream().allMatch(part -> part.status().decided())) {
      return new CheckResult(
          CheckResult.Outcome.LINEARIZABLE,
          Summary.linearizable(history.size(), results, elapsed.toNanos()),
          null,
          elapsed,
          results);
    }
    return new CheckResult(
        CheckResult.Outcome.UNKNOWN, Summary.unknown(results, budget), null, elapsed, results);
  }
}
