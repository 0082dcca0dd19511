package dev.keel.raft.rules;

import static dev.keel.raft.rules.TestLogs.entries;
import static dev.keel.raft.rules.TestLogs.entry;
import static dev.keel.raft.rules.TestLogs.log;
import static dev.keel.raft.rules.TestLogs.terms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.raft.persistence.LogEntry;
import java.util.List;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RaftLogTest {

  @SuppressWarnings("UnnecessaryLambda") // a named size function reads better in the tests
  private static final ToIntFunction<LogEntry> TEN_BYTES_EACH = e -> 10;

  @Nested
  class EmptyLog {

    @Test
    void hasLastIndexAndLastTermZero() {
      RaftLog log = new RaftLog();

      assertThat(log.lastIndex()).isZero();
      assertThat(log.lastTerm()).isZero();
    }

    @Test
    void reportsTermZeroAtIndexZero() {
      assertThat(new RaftLog().termAt(0)).isZero();
    }

    // §5.3: the consistency check at prevLogIndex 0 always succeeds
    @Test
    void matchesIndexZeroTermZeroOnly() {
      RaftLog log = new RaftLog();

      assertThat(log.matches(0, 0)).isTrue();
      assertThat(log.matches(0, 1)).isFalse();
      assertThat(log.matches(1, 1)).isFalse();
    }

    @Test
    void hasNoEntryAtIndexOne() {
      assertThatThrownBy(() -> new RaftLog().entry(1))
          .isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> new RaftLog().termAt(1))
          .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void findsNoTerms() {
      RaftLog log = new RaftLog();

      assertThat(log.firstIndexOfTerm(1)).isEqualTo(-1);
      assertThat(log.lastIndexOfTerm(1)).isEqualTo(-1);
      assertThat(log.firstIndexOfTerm(0)).isEqualTo(-1);
    }

    @Test
    void slicesAndRangesToNothing() {
      RaftLog log = new RaftLog();

      assertThat(log.slice(1, 10, 1000, TEN_BYTES_EACH)).isEmpty();
      assertThat(log.range(1, 0)).isEmpty();
    }
  }

  @Nested
  class Appending {

    @Test
    void recoversConsecutiveEntries() {
      RaftLog log = RaftLog.of(entries(1, 1, 2));

      assertThat(log.lastIndex()).isEqualTo(3);
      assertThat(log.lastTerm()).isEqualTo(2);
      assertThat(log.entry(2)).isEqualTo(entry(2, 1));
      assertThat(terms(log)).containsExactly(1L, 1L, 2L);
    }

    @Test
    void appendsEntryFollowingTheLastOne() {
      RaftLog log = log(1);

      log.append(entry(2, 3));

      assertThat(log.lastIndex()).isEqualTo(2);
      assertThat(log.lastTerm()).isEqualTo(3);
      assertThat(log.entry(2)).isEqualTo(entry(2, 3));
    }

    @Test
    void refusesEntryLeavingAGap() {
      RaftLog log = log(1);

      assertThatThrownBy(() -> log.append(entry(3, 1)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(log.lastIndex()).isEqualTo(1);
    }

    @Test
    void refusesEntryOverwritingAnExistingIndex() {
      RaftLog log = log(1, 1);

      assertThatThrownBy(() -> log.append(entry(2, 2)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(log.entry(2)).isEqualTo(entry(2, 1));
    }

    // Terms never decrease along a log (§5.3: leaders only append entries of their own term)
    @Test
    void refusesEntryWithTermBelowLastTerm() {
      RaftLog log = log(1, 3);

      assertThatThrownBy(() -> log.append(entry(3, 2)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(log.lastIndex()).isEqualTo(2);
    }

    @Test
    void refusesRecoveredEntriesThatDoNotStartAtOne() {
      assertThatThrownBy(() -> RaftLog.of(List.of(entry(2, 1))))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Lookup {

    private final RaftLog log = log(1, 1, 2, 2, 2, 4);

    @Test
    void reportsTermOfEachEntry() {
      assertThat(log.termAt(0)).isZero();
      assertThat(log.termAt(2)).isEqualTo(1);
      assertThat(log.termAt(6)).isEqualTo(4);
    }

    @Test
    void hasNoEntryBeyondLastIndex() {
      assertThatThrownBy(() -> log.termAt(7)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> log.entry(7)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> log.entry(0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    // §5.3: matches(index, term) is the AppendEntries consistency check
    @Test
    void matchesOnlyAnEntryWithTheSameIndexAndTerm() {
      assertThat(log.matches(0, 0)).isTrue();
      assertThat(log.matches(3, 2)).isTrue();
      assertThat(log.matches(3, 1)).isFalse();
      assertThat(log.matches(6, 4)).isTrue();
      assertThat(log.matches(7, 4)).isFalse();
    }

    @Test
    void findsFirstAndLastIndexOfATerm() {
      assertThat(log.firstIndexOfTerm(1)).isEqualTo(1);
      assertThat(log.lastIndexOfTerm(1)).isEqualTo(2);
      assertThat(log.firstIndexOfTerm(2)).isEqualTo(3);
      assertThat(log.lastIndexOfTerm(2)).isEqualTo(5);
      assertThat(log.firstIndexOfTerm(4)).isEqualTo(6);
      assertThat(log.lastIndexOfTerm(4)).isEqualTo(6);
    }

    @Test
    void findsNoIndexForATermTheLogSkipped() {
      assertThat(log.firstIndexOfTerm(3)).isEqualTo(-1);
      assertThat(log.lastIndexOfTerm(3)).isEqualTo(-1);
    }

    @Test
    void findsNoIndexForATermAboveTheLastTerm() {
      assertThat(log.firstIndexOfTerm(5)).isEqualTo(-1);
      assertThat(log.lastIndexOfTerm(5)).isEqualTo(-1);
    }
  }

  @Nested
  class Truncation {

    // §5.3: delete the existing entry and all that follow it
    @Test
    void removesTheEntryAndEverythingAfterIt() {
      RaftLog log = log(1, 1, 2, 2);

      log.truncateFrom(3);

      assertThat(log.lastIndex()).isEqualTo(2);
      assertThat(log.lastTerm()).isEqualTo(1);
      assertThat(log.matches(3, 2)).isFalse();
    }

    @Test
    void acceptsEntriesOfANewTermAfterTruncation() {
      RaftLog log = log(1, 1, 2, 2);

      log.truncateFrom(3);
      log.append(entry(3, 3));

      assertThat(terms(log)).containsExactly(1L, 1L, 3L);
    }

    @Test
    void canEmptyTheWholeLog() {
      RaftLog log = log(1, 2);

      log.truncateFrom(1);

      assertThat(log.lastIndex()).isZero();
      assertThat(log.lastTerm()).isZero();
    }

    @Test
    void ignoresAnIndexPastTheEnd() {
      RaftLog log = log(1, 2);

      log.truncateFrom(3);
      log.truncateFrom(10);

      assertThat(terms(log)).containsExactly(1L, 2L);
    }

    @Test
    void refusesToTruncateAtIndexZero() {
      RaftLog log = log(1);

      assertThatThrownBy(() -> log.truncateFrom(0)).isInstanceOf(IllegalArgumentException.class);
      assertThat(log.lastIndex()).isEqualTo(1);
    }
  }

  @Nested
  class Slicing {

    private final RaftLog log = log(1, 1, 2, 2, 3);

    @Test
    void returnsEntriesFromTheGivenIndexToTheEnd() {
      assertThat(log.slice(3, 100, 1000, TEN_BYTES_EACH))
          .containsExactly(entry(3, 2), entry(4, 2), entry(5, 3));
    }

    @Test
    void stopsAtMaxCount() {
      assertThat(log.slice(1, 2, 1000, TEN_BYTES_EACH)).containsExactly(entry(1, 1), entry(2, 1));
    }

    @Test
    void stopsBeforeExceedingMaxBytes() {
      assertThat(log.slice(1, 100, 25, TEN_BYTES_EACH)).containsExactly(entry(1, 1), entry(2, 1));
      assertThat(log.slice(1, 100, 30, TEN_BYTES_EACH)).hasSize(3);
    }

    @Test
    void alwaysIncludesTheFirstEntryEvenIfOversized() {
      assertThat(log.slice(2, 100, 5, TEN_BYTES_EACH)).containsExactly(entry(2, 1));
    }

    @Test
    void returnsNothingPastTheEndOrForZeroCount() {
      assertThat(log.slice(6, 100, 1000, TEN_BYTES_EACH)).isEmpty();
      assertThat(log.slice(1, 0, 1000, TEN_BYTES_EACH)).isEmpty();
    }

    @Test
    void returnsAnImmutableCopyUnaffectedByLaterTruncation() {
      RaftLog mutable = log(1, 1, 2);
      List<LogEntry> slice = mutable.slice(1, 100, 1000, TEN_BYTES_EACH);

      mutable.truncateFrom(2);

      assertThat(slice).hasSize(3);
      assertThatThrownBy(() -> slice.add(entry(4, 2)))
          .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rangeIsInclusiveOnBothEnds() {
      assertThat(log.range(2, 4)).containsExactly(entry(2, 1), entry(3, 2), entry(4, 2));
      assertThat(log.range(5, 5)).containsExactly(entry(5, 3));
    }

    @Test
    void rangeIsEmptyWhenFromIsAfterTo() {
      assertThat(log.range(4, 3)).isEmpty();
    }

    @Test
    void rangeReturnsAnImmutableCopyUnaffectedByLaterTruncation() {
      RaftLog mutable = log(1, 1, 2);
      List<LogEntry> range = mutable.range(1, 3);

      mutable.truncateFrom(1);

      assertThat(range).hasSize(3);
      assertThatThrownBy(() -> range.remove(0)).isInstanceOf(UnsupportedOperationException.class);
    }
  }
}
