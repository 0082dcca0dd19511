package dev.keel.raft.testkit.linearizability;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Searches the parts of a history concurrently and fairly, so that one hard part cannot starve the
 * others, and stops at the first violation.
 *
 * <p>Up to {@code parallelism} searches run at once, each for a time slice; a part undecided after
 * its slice goes to the back of the queue and later resumes where it stopped. So every part gets
 * its turn early, easy parts are decided in their first slice whatever comes before them, and hard
 * parts share the time that is left round-robin. A worker is handed a batch of parts at a time when
 * many are waiting, and starts the next one of its batch only within the first slice's time, so
 * that thousands of tiny parts do not cost a hand-over between threads each. A part whose memo
 * reaches its share of the memory budget waits until other parts are decided and their memory is
 * freed; if every part left waits, the one holding the most is given up ({@link
 * PartResult.Status#OUT_OF_MEMORY}) so the others can go on. The first violation stops every
 * search: it decides the check.
 *
 * <p>All scheduling decisions are made on the calling thread; the workers only run slices.
 *
 * @param <S> the model's state type
 * @param <I> the input type
 * @param <O> the output type
 */
final class PartScheduler<S, I, O> {

  /** How long a search runs before the next part waiting for a thread gets its turn. */
  static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  /** The most parts handed to a worker at once. */
  private static final int MAX_BATCH = 64;

  private static final AtomicInteger THREADS = new AtomicInteger();

  private final Model<S, I, O> model;
  private final Budget budget;
  private final int workers;
  private final List<Task> tasks = new ArrayList<>();
  private final ArrayDeque<Task> ready = new ArrayDeque<>();
  private final List<Task> waitingForMemory = new ArrayList<>();
  private final BlockingQueue<List<Task>> finished = new LinkedBlockingQueue<>();
  private @Nullable ViolationReport<S, I, O> firstViolation;
  private @Nullable Throwable firstFailure;
  private boolean interrupted;

  /** What the scheduler found: a result per part, in order, and the first violation found. */
  record Outcome(List<PartResult> parts, @Nullable ViolationReport<?, ?, ?> firstViolation) {}

  PartScheduler(Model<S, I, O> model, List<History<I, O>> parts, Budget budget, int parallelism) {
    this.model = model;
    this.budget = budget;
    this.workers = Math.max(1, Math.min(parallelism, parts.size()));
    for (History<I, O> part : parts) {
      tasks.add(new Task(tasks.size(), part));
    }
    ready.addAll(tasks);
  }

  /**
   * Searches every part until each has a result.
   *
   * @throws CancellationException if the calling thread is interrupted; its interrupt flag is set
   */
  Outcome run() {
    ExecutorService pool =
        workers > 1 ? Executors.newFixedThreadPool(workers, PartScheduler::daemon) : null;
    try {
      schedule(pool == null ? Runnable::run : pool);
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
    rethrowFailure();
    List<PartResult> results = new ArrayList<>(tasks.size());
    for (Task task : tasks) {
      results.add(task.result != null ? task.result : task.result(PartResult.Status.STOPPED, null));
    }
    return new Outcome(List.copyOf(results), firstViolation);
  }

  private void schedule(Executor executor) {
    int running = 0;
    while (true) {
      while (running < workers && !ready.isEmpty() && !budget.stopped()) {
        List<Task> batch = nextBatch();
        executor.execute(() -> runBatch(batch));
        running++;
      }
      if (running == 0) {
        if (budget.stopped() || waitingForMemory.isEmpty()) {
          return;
        }
        giveUpLargestWaiting(budget.beforeStart() == Budget.Pause.TIME);
        continue;
      }
      List<Task> batch = nextFinished();
      running--;
      // Parts of the batch that never got to run keep their place at the head of the queue.
      for (int i = batch.size() - 1; i >= 0; i--) {
        if (!batch.get(i).ran) {
          ready.addFirst(batch.get(i));
        }
      }
      batch.stream().filter(task -> task.ran).forEach(this::onSliceFinished);
    }
  }

  /** A share of the ready parts, so that every worker gets some. */
  private List<Task> nextBatch() {
    int size = Math.max(1, Math.min(MAX_BATCH, ready.size() / workers));
    List<Task> batch = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      batch.add(ready.poll());
    }
    return batch;
  }

  /**
   * Runs on a worker: a slice of each part of the batch, starting a part only while the first
   * slice's time lasts; hands the batch back through {@link #finished}.
   */
  private void runBatch(List<Task> batch) {
    long batchEnd = System.nanoTime() + SLICE_NANOS;
    for (Task task : batch) {
      task.ran = task == batch.get(0) || System.nanoTime() - batchEnd < 0;
      if (task.ran) {
        task.runSlice();
      }
    }
    finished.add(batch);
  }

  private List<Task> nextFinished() {
    while (true) {
      try {
        return finished.take();
      } catch (InterruptedException e) {
        // Slices already running must hand their task back before the check returns.
        interrupted = true;
        budget.stop();
      }
    }
  }

  /** Acts on a slice's outcome; a failure or a violation has already stopped the budget. */
  private void onSliceFinished(Task task) {
    if (task.failure != null) {
      firstFailure = firstFailure == null ? task.failure : firstFailure;
      return;
    }
    PartitionOutcome<S> outcome = Objects.requireNonNull(task.last);
    switch (outcome.verdict()) {
      case LINEARIZABLE -> {
        task.finish(PartResult.Status.LINEARIZABLE, null);
        releaseWaiting();
      }
      case VIOLATION -> {
        ViolationReport<S, I, O> report =
            new ViolationReport<>(model, task.part, Objects.requireNonNull(outcome.deepest()));
        firstViolation = firstViolation == null ? report : firstViolation;
        task.finish(PartResult.Status.NOT_LINEARIZABLE, report.violation());
      }
      case PAUSED -> onPause(task, Objects.requireNonNull(outcome.pause()));
    }
  }

  private void onPause(Task task, Budget.Pause pause) {
    switch (pause) {
      case SLICE -> ready.add(task);
      case MEMORY -> {
        // Parts handed back in the same batch may have been decided after this one paused: its
        // share may already have grown past its memo, and no later decision would release it.
        if (Objects.requireNonNull(task.last).memoBytes() < budget.memoryShare()) {
          ready.add(task);
        } else {
          waitingForMemory.add(task);
        }
      }
      case TIME -> task.finish(PartResult.Status.OUT_OF_TIME, null);
      case STOPPED -> task.finish(PartResult.Status.STOPPED, null);
    }
  }

  /**
   * Every part left waits for memory: gives up the one holding the most, so the others go on; or
   * all of them, if the time is up.
   */
  private void giveUpLargestWaiting(boolean timeIsUp) {
    if (timeIsUp) {
      waitingForMemory.forEach(task -> task.finish(PartResult.Status.OUT_OF_TIME, null));
      waitingForMemory.clear();
      return;
    }
    Task largest =
        waitingForMemory.stream()
            .max(
                Comparator.<Task>comparingLong(t -> Objects.requireNonNull(t.last).memoBytes())
                    .thenComparingInt(t -> -t.index))
            .orElseThrow();
    waitingForMemory.remove(largest);
    largest.finish(PartResult.Status.OUT_OF_MEMORY, null);
    releaseWaiting();
  }

  /** Queues again the parts waiting for memory whose memo is now under their grown share. */
  private void releaseWaiting() {
    long share = budget.memoryShare();
    for (Iterator<Task> waiting = waitingForMemory.iterator(); waiting.hasNext(); ) {
      Task task = waiting.next();
      if (Objects.requireNonNull(task.last).memoBytes() < share) {
        ready.add(task);
        waiting.remove();
      }
    }
  }

  private void rethrowFailure() {
    if (interrupted) {
      Thread.currentThread().interrupt();
      throw new CancellationException("the linearizability check was interrupted");
    }
    if (firstFailure instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (firstFailure instanceof Error error) {
      throw error;
    }
  }

  private static Thread daemon(Runnable runnable) {
    Thread thread = new Thread(runnable, "keel-linearizability-check-" + THREADS.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  }

  /** One part: its search, kept between slices, and its result once it has one. */
  private final class Task {
    private final int index;
    private final History<I, O> part;
    private @Nullable WglSearch<S, I, O> search;
    private @Nullable PartitionOutcome<S> last;
    private long searchNanos;
    private @Nullable PartResult result;
    private @Nullable Throwable failure;

    /** Whether it ran in the batch it was last handed to a worker in. */
    private boolean ran;

    Task(int index, History<I, O> part) {
      this.index = index;
      this.part = part;
    }

    /** Runs one slice, on a worker. A violation or a failure stops every search at once. */
    void runSlice() {
      long start = System.nanoTime();
      try {
        PartitionOutcome<S> outcome = slice(start + SLICE_NANOS);
        last = outcome;
        if (outcome.verdict() == PartitionOutcome.Verdict.VIOLATION) {
          budget.stop();
        }
      } catch (RuntimeException | Error e) {
        // A model's bug must reach the caller of the check, not end a worker silently.
        failure = e;
        budget.stop();
      }
      searchNanos += System.nanoTime() - start;
    }

    private PartitionOutcome<S> slice(long sliceEndNanos) {
      WglSearch<S, I, O> current = search;
      if (current == null) {
        // Not started yet: no need to build the search if the check is over.
        Budget.Pause over = budget.beforeStart();
        if (over != null) {
          return new PartitionOutcome<>(PartitionOutcome.Verdict.PAUSED, null, over, 0, 0);
        }
        current = new WglSearch<>(model, part);
        search = current;
      }
      return current.run(budget, sliceEndNanos);
    }

    void finish(PartResult.Status status, @Nullable Violation violation) {
      result = result(status, violation);
      search = null;
      budget.partDecided();
    }

    PartResult result(PartResult.Status status, @Nullable Violation violation) {
      return new PartResult(
          part.label(),
          part.size(),
          status,
          last == null ? 0 : last.configurations(),
          Duration.ofNanos(searchNanos),
          Optional.ofNullable(violation));
    }
  }
}
