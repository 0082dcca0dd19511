package dev.keel.raft.testkit.linearizability;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * An immutable history of client operations, ordered by invocation time. Recorded by a {@link
 * HistoryRecorder}, or written out by hand with {@link #builder()}.
 *
 * @param <I> the operations' input type
 * @param <O> the operations' output type
 */
public final class History<I, O> {

  private static final Comparator<Operation<?, ?>> BY_INVOCATION =
      Comparator.<Operation<?, ?>>comparingLong(Operation::invokeNanos)
          .thenComparingInt(Operation::id);

  /** Invariant: sorted by invocation time, then id; ids are unique. */
  private final List<Operation<I, O>> operations;

  /** The first invocation of the whole history; report times are relative to it. */
  private final long startNanos;

  private final String label;

  private History(List<Operation<I, O>> operations, long startNanos, String label) {
    this.operations = operations;
    this.startNanos = startNanos;
    this.label = label;
  }

  /**
   * A history of the given operations, in any order.
   *
   * @throws IllegalArgumentException if two operations share an id
   */
  public static <I, O> History<I, O> of(Collection<Operation<I, O>> operations) {
    List<Operation<I, O>> sorted = new ArrayList<>(operations);
    sorted.sort(BY_INVOCATION);
    if (sorted.stream().map(Operation::id).distinct().count() != sorted.size()) {
      throw new IllegalArgumentException("operation ids must be unique");
    }
    long start = sorted.isEmpty() ? 0 : sorted.get(0).invokeNanos();
    return new History<>(List.copyOf(sorted), start, "all operations");
  }

  /** A builder for hand-written histories, e.g. in tests; ids follow the order of the calls. */
  public static <I, O> Builder<I, O> builder() {
    return new Builder<>();
  }

  /** The operations, ordered by invocation time. */
  public List<Operation<I, O>> operations() {
    return operations;
  }

  /** The number of operations. */
  public int size() {
    return operations.size();
  }

  /**
   * When the whole history started (its first invocation). A part made by {@link #subset} keeps the
   * start of the history it came from, so all reports measure time from the same origin.
   */
  public long startNanos() {
    return startNanos;
  }

  /** Names this history or part in reports, e.g. {@code key=x}. */
  public String label() {
    return label;
  }

  /** The operations that {@code keep} accepts, as a part named {@code partLabel}. */
  public History<I, O> subset(String partLabel, Predicate<? super Operation<I, O>> keep) {
    List<Operation<I, O>> kept = new ArrayList<>();
    for (Operation<I, O> operation : operations) {
      if (keep.test(operation)) {
        kept.add(operation);
      }
    }
    return new History<>(List.copyOf(kept), startNanos, partLabel);
  }

  /**
   * Splits the history into one part per key, in the order keys first appear; each part is labelled
   * {@code key=K}. A helper for {@link Model#partition}.
   */
  public <K> List<History<I, O>> partitionBy(Function<? super I, K> keyOf) {
    Map<K, List<Operation<I, O>>> byKey = new LinkedHashMap<>();
    for (Operation<I, O> operation : operations) {
      byKey.computeIfAbsent(keyOf.apply(operation.input()), k -> new ArrayList<>()).add(operation);
    }
    List<History<I, O>> parts = new ArrayList<>(byKey.size());
    byKey.forEach(
        (key, part) -> parts.add(new History<>(List.copyOf(part), startNanos, "key=" + key)));
    return parts;
  }

  @Override
  public String toString() {
    return "History[" + label + ", " + operations.size() + " operations]";
  }

  /**
   * Writes a history by hand, one operation per call, with explicit times.
   *
   * @param <I> the input type
   * @param <O> the output type
   */
  public static final class Builder<I, O> {

    private final List<Operation<I, O>> operations = new ArrayList<>();

    private Builder() {}

    /** Adds an operation by {@code clientId} that returned {@code output}. */
    public Builder<I, O> ok(int clientId, I input, O output, long invokeNanos, long returnNanos) {
      operations.add(
          Operation.completed(
              operations.size(), clientId, input, output, invokeNanos, returnNanos));
      return this;
    }

    /**
     * Adds an operation by {@code clientId} that timed out: it may or may not have taken effect.
     */
    public Builder<I, O> indeterminate(int clientId, I input, long invokeNanos) {
      operations.add(Operation.indeterminate(operations.size(), clientId, input, invokeNanos));
      return this;
    }

    /** The history of the operations added so far. */
    public History<I, O> build() {
      return History.of(operations);
    }
  }
}
