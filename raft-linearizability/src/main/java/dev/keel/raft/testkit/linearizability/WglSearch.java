package dev.keel.raft.testkit.linearizability;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The Wing–Gong–Lowe search over one part of a history: a depth-first search for a total order of
 * the operations that respects real time and under which every model step succeeds.
 *
 * <p>It walks the entry list from the front. At a call it tries to linearize that operation next:
 * if the model accepts it and the resulting configuration (linearized set, state) is new, it lifts
 * the operation out of the list and starts again from the front. At a return it has found an
 * operation that completed without being linearized, so the current prefix cannot be extended: it
 * backtracks, undoing the last operation and trying the next entry after it. The search succeeds
 * once every completed operation is linearized; indeterminate operations left over never took
 * effect.
 *
 * <p>Indeterminate operations would multiply the search: each may take effect anywhere after its
 * invocation, or never. But one never forces anything, and leaving it pending keeps more orders
 * open, so a configuration dominates another with the same completed operations linearized and the
 * same state that consumed more indeterminate ones. The search uses this four ways: the memo skips
 * configurations that an entered one dominates (see {@link Memo}); from each configuration it tries
 * the completed candidates before the indeterminate ones; it never linearizes an indeterminate
 * operation that leaves the state unchanged; and it never linearizes one after a run of
 * indeterminate operations if that operation alone, in place of the run, reaches the same state (as
 * a blind write does).
 *
 * <p>The search runs in slices: {@link #run} returns when the budget says pause, and the next call
 * resumes exactly where it stopped, so a scheduler can share threads and time fairly among parts.
 * Not thread-safe: one thread runs a slice at a time, handed over with a happens-before edge.
 *
 * @param <S> the model's state type
 * @param <I> the input type
 * @param <O> the output type
 */
final class WglSearch<S, I, O> {

  /** The budget is checked every this many + 1 steps. */
  private static final int CHECK_MASK = 1023;

  private static final int RECENT = 8;

  private final Model<S, I, O> model;
  private final List<Operation<I, O>> operations;
  private final EntryList entries;
  private final LinearizedSet linearized;
  private final Memo memo = new Memo();
  private final int[] holes;

  /** The linearized operations in order, and the state before each: stack[0, depth). */
  private final int[] stackOps;

  private final List<S> statesBefore;
  private int depth;
  private S state;

  /** The entry the walk looks at next; where the next slice resumes. */
  private int cursor;

  /** Whether the walk now tries indeterminate candidates, after the completed ones failed. */
  private boolean indeterminatePhase;

  private final int definiteTotal;

  /** Invariant: the number of completed (not indeterminate) operations not yet linearized. */
  private int definiteLeft;

  /** How many completed operations the deepest dead end had linearized. */
  private int deepestProgress = -1;

  private @Nullable DeadEnd<S> deepest;

  WglSearch(Model<S, I, O> model, History<I, O> part) {
    this.model = model;
    this.operations = part.operations();
    this.entries = EntryList.of(operations);
    this.linearized = new LinearizedSet(operations);
    this.holes = new int[operations.size()];
    this.stackOps = new int[operations.size()];
    this.statesBefore = new ArrayList<>(operations.size());
    this.state = model.init();
    this.definiteTotal = (int) operations.stream().filter(op -> !op.isIndeterminate()).count();
    this.definiteLeft = definiteTotal;
    this.cursor = entries.first();
  }

  /**
   * Searches until it finds a linearization, proves there is none, or the budget says pause; a
   * paused search resumes where it stopped at the next call.
   *
   * @param sliceEndNanos when this slice ends, on {@link System#nanoTime()}
   */
  PartitionOutcome<S> run(Budget budget, long sliceEndNanos) {
    long steps = 0;
    while (definiteLeft > 0) {
      if ((steps++ & CHECK_MASK) == 0) {
        Budget.Pause pause = budget.exceeded(memo, sliceEndNanos);
        if (pause != null) {
          return outcome(PartitionOutcome.Verdict.PAUSED, pause);
        }
      }
      if (cursor != EntryList.NONE && EntryList.isCall(cursor)) {
        cursor = tryLinearize(cursor);
      } else if (!indeterminatePhase) {
        indeterminatePhase = true;
        cursor = entries.first();
      } else {
        recordDeadEnd(cursor);
        if (depth == 0) {
          return outcome(PartitionOutcome.Verdict.VIOLATION, null);
        }
        cursor = backtrack();
      }
    }
    return outcome(PartitionOutcome.Verdict.LINEARIZABLE, null);
  }

  /**
   * Linearizes the operation whose call is {@code entry}, if it belongs to this phase and may go
   * next; the entry to try next.
   */
  private int tryLinearize(int entry) {
    int op = EntryList.operation(entry);
    Operation<I, O> operation = operations.get(op);
    if (operation.isIndeterminate() != indeterminatePhase) {
      return entries.next(entry);
    }
    Optional<S> after = model.step(state, operation.input(), operation.output());
    if (after.isPresent() && !(indeterminatePhase && isDominated(operation, after.get()))) {
      linearized.push(op);
      int holeCount = linearized.holes(entries, op, holes);
      if (memo.firstVisit(
          linearized.hash(),
          linearized.highest(),
          holes,
          holeCount,
          after.get(),
          linearized.consumed())) {
        stackOps[depth++] = op;
        statesBefore.add(state);
        state = after.get();
        entries.lift(op);
        definiteLeft -= operation.isIndeterminate() ? 0 : 1;
        indeterminatePhase = false;
        return entries.first();
      }
      linearized.pop(op);
    }
    return entries.next(entry);
  }

  /**
   * Whether linearizing the indeterminate {@code operation} next, reaching {@code after}, is
   * dominated: by the current configuration if the state stays the same, or by the configuration
   * before the current run of indeterminate operations, if {@code operation} alone reaches {@code
   * after} from there.
   */
  private boolean isDominated(Operation<I, O> operation, S after) {
    if (after.equals(state)) {
      return true;
    }
    int runStart = depth;
    while (runStart > 0 && operations.get(stackOps[runStart - 1]).isIndeterminate()) {
      runStart--;
    }
    if (runStart == depth) {
      return false;
    }
    Optional<S> alone = model.step(statesBefore.get(runStart), operation.input(), null);
    return alone.isPresent() && alone.get().equals(after);
  }

  /** Undoes the last linearized operation; the entry to try after its call. */
  private int backtrack() {
    int op = stackOps[--depth];
    state = statesBefore.remove(depth);
    linearized.pop(op);
    entries.unlift(op);
    indeterminatePhase = operations.get(op).isIndeterminate();
    definiteLeft += indeterminatePhase ? 0 : 1;
    return entries.next(EntryList.callOf(op));
  }

  /**
   * Keeps a snapshot of this dead end if it has linearized the most completed operations so far; of
   * two that linearized as many, the one that speculated on fewer indeterminate operations.
   */
  private void recordDeadEnd(int entry) {
    int progress = definiteTotal - definiteLeft;
    boolean deeper =
        progress > deepestProgress
            || (progress == deepestProgress && deepest != null && depth < deepest.depth());
    if (entry == EntryList.NONE || !deeper) {
      return;
    }
    deepestProgress = progress;
    int recent = Math.min(RECENT, depth);
    int[] recentOps = new int[recent];
    List<S> statesAfter = new ArrayList<>(recent);
    for (int i = 0; i < recent; i++) {
      int position = depth - recent + i;
      recentOps[i] = stackOps[position];
      statesAfter.add(position + 1 < depth ? statesBefore.get(position + 1) : state);
    }
    List<Integer> pending = new ArrayList<>();
    for (int e = entries.first(); e != entry; e = entries.next(e)) {
      if (EntryList.isCall(e)) {
        pending.add(EntryList.operation(e));
      }
    }
    int[] pendingOps = pending.stream().mapToInt(Integer::intValue).toArray();
    deepest =
        new DeadEnd<>(depth, recentOps, statesAfter, state, EntryList.operation(entry), pendingOps);
  }

  private PartitionOutcome<S> outcome(
      PartitionOutcome.Verdict verdict, Budget.@Nullable Pause pause) {
    return new PartitionOutcome<>(verdict, deepest, pause, memo.size(), memo.bytes());
  }
}
