package dev.keel.raft.rules;

import static dev.keel.raft.rules.TestLogs.entriesFrom;
import static dev.keel.raft.rules.TestLogs.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.raft.persistence.LogEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The log after compaction (§7): indexes below the snapshot are gone, the snapshot's last entry
 * (base index and term) still answers term queries, and every position is offset by the base.
 */
class CompactedRaftLogTest {

  /** A log compacted to (5, 2) holding entries 6..9 with terms 2, 3, 3, 4. */
  private static RaftLog compacted() {
    return RaftLog.of(5, 2, entriesFrom(6, 2, 3, 3, 4));
  }

  @Test
  void knowsItsBaseAndLastEntry() {
    RaftLog log = compacted();
    assertThat(log.baseIndex()).isEqualTo(5);
    assertThat(log.baseTerm()).isEqualTo(2);
    assertThat(log.lastIndex()).isEqualTo(9);
    assertThat(log.lastTerm()).isEqualTo(4);
  }

  @Test
  void answersTermsFromTheBaseOnButHoldsNoEntryAtOrBelowIt() {
    RaftLog log = compacted();
    assertThat(log.termAt(5)).as("the snapshot's last entry").isEqualTo(2);
    assertThat(log.termAt(6)).isEqualTo(2);
    assertThat(log.termAt(9)).isEqualTo(4);
    assertThat(log.entry(6)).isEqualTo(entry(6, 2));
    assertThat(log.entry(9)).isEqualTo(entry(9, 4));
    assertThatThrownBy(() -> log.entry(5)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> log.termAt(4)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> log.entry(10)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void matchesFromTheBaseOn() {
    RaftLog log = compacted();
    assertThat(log.matches(5, 2)).isTrue();
    assertThat(log.matches(5, 3)).isFalse();
    assertThat(log.matches(4, 2)).as("below the base: unknown").isFalse();
    assertThat(log.matches(9, 4)).isTrue();
    assertThat(log.matches(10, 4)).isFalse();
  }

  @Test
  void slicesAndRangesCountFromTheBase() {
    RaftLog log = compacted();
    assertThat(log.range(6, 7)).containsExactly(entry(6, 2), entry(7, 3));
    assertThat(log.range(9, 9)).containsExactly(entry(9, 4));
    assertThat(log.slice(8, 10, Long.MAX_VALUE, e -> 1)).containsExactly(entry(8, 3), entry(9, 4));
    assertThat(log.slice(6, 2, Long.MAX_VALUE, e -> 1)).containsExactly(entry(6, 2), entry(7, 3));
  }

  @Test
  void findsTermsOnlyAboveTheBase() {
    RaftLog log = compacted();
    assertThat(log.firstIndexOfTerm(3)).isEqualTo(7);
    assertThat(log.lastIndexOfTerm(3)).isEqualTo(8);
    assertThat(log.firstIndexOfTerm(2)).as("index 5 is compacted").isEqualTo(6);
    assertThat(log.lastIndexOfTerm(1)).isEqualTo(-1);
    assertThat(log.firstIndexOfTerm(4)).isEqualTo(9);
  }

  @Test
  void compactsFurtherKeepingWhatFollows() {
    RaftLog log = compacted();
    log.compactTo(7);
    assertThat(log.baseIndex()).isEqualTo(7);
    assertThat(log.baseTerm()).isEqualTo(3);
    assertThat(log.lastIndex()).isEqualTo(9);
    assertThat(log.range(8, 9)).containsExactly(entry(8, 3), entry(9, 4));
    log.compactTo(6);
    assertThat(log.baseIndex()).as("never backwards").isEqualTo(7);
    log.compactTo(9);
    assertThat(log.lastIndex()).isEqualTo(9);
    assertThat(log.lastTerm()).as("the base, once every entry is compacted").isEqualTo(4);
    assertThat(log.range(10, 9)).isEmpty();
  }

  @Test
  void truncatesAndAppendsAboveTheBase() {
    RaftLog log = compacted();
    log.truncateFrom(8);
    assertThat(log.lastIndex()).isEqualTo(7);
    log.append(entry(8, 5));
    assertThat(log.termAt(8)).isEqualTo(5);
    assertThatThrownBy(() -> log.truncateFrom(5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> log.append(entry(10, 5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not follow last index 8");
  }

  @Test
  void resetsToASnapshotPositionDroppingEverything() {
    RaftLog log = compacted();
    log.resetTo(20, 6);
    assertThat(log.baseIndex()).isEqualTo(20);
    assertThat(log.lastIndex()).isEqualTo(20);
    assertThat(log.lastTerm()).isEqualTo(6);
    assertThat(log.termAt(20)).isEqualTo(6);
    log.append(entry(21, 6));
    assertThat(log.range(21, 21)).containsExactly(entry(21, 6));
  }

  @Test
  void anEmptyCompactedLogEndsAtItsBase() {
    RaftLog log = RaftLog.of(3, 2, List.<LogEntry>of());
    assertThat(log.lastIndex()).isEqualTo(3);
    assertThat(log.lastTerm()).isEqualTo(2);
    assertThat(log.firstIndexOfTerm(2)).isEqualTo(-1);
    assertThat(log.slice(4, 5, 100, e -> 1)).isEmpty();
  }
}
