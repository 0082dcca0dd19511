package dev.keel.raft.testkit.linearizability;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ListIterator;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An immutable list that grows only at its end and shares everything before with the list it grew
 * from: appending costs O(1) time and memory, so the checker's memo can hold many states cheaply.
 * Equal to another {@code AppendOnlyList} with the same elements in the same order, with the hash
 * code of a {@link List} of them. The state of {@link ListAppendModel}; usable in any model whose
 * state is a growing sequence.
 *
 * @param <V> the element type; immutable values with {@code equals} and {@code hashCode}
 */
public final class AppendOnlyList<V> {

  private static final AppendOnlyList<Object> EMPTY = new AppendOnlyList<>(null, null, 0, 1);

  /** The list before {@link #last} was appended; null exactly for the empty list. */
  private final @Nullable AppendOnlyList<V> prefix;

  private final @Nullable V last;
  private final int size;

  /** Invariant: {@code toList().hashCode()}. */
  private final int hash;

  private AppendOnlyList(@Nullable AppendOnlyList<V> prefix, @Nullable V last, int size, int hash) {
    this.prefix = prefix;
    this.last = last;
    this.size = size;
    this.hash = hash;
  }

  /** The empty list. */
  @SuppressWarnings("unchecked") // The empty list holds no element, so it is one of any type.
  public static <V> AppendOnlyList<V> empty() {
    return (AppendOnlyList<V>) EMPTY;
  }

  /** This list with {@code value} at its end; this list is unchanged. */
  public AppendOnlyList<V> append(V value) {
    return new AppendOnlyList<>(
        this, Objects.requireNonNull(value, "value"), size + 1, 31 * hash + value.hashCode());
  }

  /** The number of elements. */
  public int size() {
    return size;
  }

  /** Whether {@code list} holds the same elements in the same order; allocates nothing. */
  public boolean contentEquals(List<?> list) {
    if (list.size() != size) {
      return false;
    }
    ListIterator<?> backwards = list.listIterator(size);
    for (AppendOnlyList<V> node = this; node.prefix != null; node = node.prefix) {
      if (!Objects.equals(node.last, backwards.previous())) {
        return false;
      }
    }
    return true;
  }

  /** The elements, first appended first, as an unmodifiable list. */
  public List<V> toList() {
    List<V> elements = new ArrayList<>(size);
    for (AppendOnlyList<V> node = this; node.prefix != null; node = node.prefix) {
      elements.add(Objects.requireNonNull(node.last));
    }
    Collections.reverse(elements);
    return Collections.unmodifiableList(elements);
  }

  /** Same elements in the same order; stops at the first prefix both lists share. */
  @Override
  public boolean equals(@Nullable Object other) {
    if (!(other instanceof AppendOnlyList<?> that) || that.size != size || that.hash != hash) {
      return false;
    }
    AppendOnlyList<?> mine = this;
    AppendOnlyList<?> theirs = that;
    while (mine != theirs && mine.prefix != null && theirs.prefix != null) {
      if (!Objects.equals(mine.last, theirs.last)) {
        return false;
      }
      mine = mine.prefix;
      theirs = theirs.prefix;
    }
    return true;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return toList().toString();
  }
}
