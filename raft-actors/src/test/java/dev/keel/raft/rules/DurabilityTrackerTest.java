package dev.keel.raft.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DurabilityTrackerTest {

  @Test
  void startsAtTheRecoveredIndex() {
    assertThat(new DurabilityTracker(7).durableIndex()).isEqualTo(7);
  }

  @Test
  void numbersWritesInIssueOrder() {
    DurabilityTracker tracker = new DurabilityTracker(0);

    long first = tracker.issued(1);
    long second = tracker.issued(2);

    assertThat(second).isGreaterThan(first);
  }

  @Test
  void pendingWriteProvesNothing() {
    DurabilityTracker tracker = new DurabilityTracker(2);

    tracker.issued(5);

    assertThat(tracker.durableIndex()).isEqualTo(2);
  }

  @Test
  void completedWriteMakesTheLogDurableUpToItsLastIndex() {
    DurabilityTracker tracker = new DurabilityTracker(2);
    long seq = tracker.issued(5);

    assertThat(tracker.completed(seq)).isEqualTo(5);
    assertThat(tracker.durableIndex()).isEqualTo(5);
  }

  @Test
  void completingALaterWriteCompletesEveryEarlierOne() {
    DurabilityTracker tracker = new DurabilityTracker(0);
    tracker.issued(2);
    tracker.issued(3);
    long third = tracker.issued(6);

    assertThat(tracker.completed(third)).isEqualTo(6);
  }

  @Test
  void writesCompletingOneByOneAdvanceStepByStep() {
    DurabilityTracker tracker = new DurabilityTracker(0);
    long first = tracker.issued(2);
    long second = tracker.issued(4);

    assertThat(tracker.completed(first)).isEqualTo(2);
    assertThat(tracker.completed(second)).isEqualTo(4);
  }

  @Test
  void repeatedOrOutOfOrderCompletionChangesNothing() {
    DurabilityTracker tracker = new DurabilityTracker(0);
    long first = tracker.issued(2);
    long second = tracker.issued(4);
    tracker.completed(second);

    assertThat(tracker.completed(first)).isEqualTo(4);
    assertThat(tracker.completed(second)).isEqualTo(4);
  }

  @Test
  void completionOfAnUnknownWriteChangesNothing() {
    DurabilityTracker tracker = new DurabilityTracker(3);

    assertThat(tracker.completed(42)).isEqualTo(3);
  }

  // §5.3: entries removed from the log are no longer part of the durable prefix
  @Test
  void truncationLowersTheDurableIndex() {
    DurabilityTracker tracker = new DurabilityTracker(5);

    tracker.truncated(3);

    assertThat(tracker.durableIndex()).isEqualTo(3);
  }

  @Test
  void truncationAboveTheDurableIndexDoesNotRaiseIt() {
    DurabilityTracker tracker = new DurabilityTracker(2);

    tracker.truncated(4);

    assertThat(tracker.durableIndex()).isEqualTo(2);
  }

  // The durable order of Figure 2 ("respond after storing entries") requires that a write issued
  // before a truncation proves nothing about entries appended after it.
  @Test
  void writeIssuedBeforeATruncationDoesNotProveLaterEntriesDurable() {
    DurabilityTracker tracker = new DurabilityTracker(0);
    long before = tracker.issued(5); // entries 1..5 of term 1
    tracker.truncated(3); // a new leader's entries conflict from index 4
    long after = tracker.issued(4); // entry 4 of term 2

    assertThat(tracker.completed(before)).isEqualTo(3);
    assertThat(tracker.completed(after)).isEqualTo(4);
  }

  @Test
  void writeIssuedBeforeATruncationStillProvesTheSurvivingPrefix() {
    DurabilityTracker tracker = new DurabilityTracker(0);
    long before = tracker.issued(5);
    tracker.truncated(3);

    assertThat(tracker.completed(before)).isEqualTo(3);
  }

  @Test
  void writeIssuedBeforeATruncationAndLongerLogAfterItStopsAtTheCut() {
    DurabilityTracker tracker = new DurabilityTracker(0);
    long before = tracker.issued(5);
    tracker.truncated(2);
    tracker.issued(9);

    assertThat(tracker.completed(before)).isEqualTo(2);
  }

  @Test
  void severalTruncationsCapAnEarlierWriteAtTheLowestCut() {
    DurabilityTracker tracker = new DurabilityTracker(0);
    long first = tracker.issued(6);
    tracker.truncated(4);
    long second = tracker.issued(5);
    tracker.truncated(2);
    long third = tracker.issued(3);

    assertThat(tracker.completed(first)).isEqualTo(2);
    assertThat(tracker.completed(second)).isEqualTo(2);
    assertThat(tracker.completed(third)).isEqualTo(3);
  }

  @Test
  void truncationBeforeAWriteDoesNotCapThatWrite() {
    DurabilityTracker tracker = new DurabilityTracker(5);
    tracker.truncated(3);
    long seq = tracker.issued(4);

    assertThat(tracker.completed(seq)).isEqualTo(4);
  }

  @Test
  void truncationAfterAllWritesCompletedOnlyLowersTheIndex() {
    DurabilityTracker tracker = new DurabilityTracker(0);
    tracker.completed(tracker.issued(5));
    tracker.truncated(3);
    long seq = tracker.issued(6);

    assertThat(tracker.durableIndex()).isEqualTo(3);
    assertThat(tracker.completed(seq)).isEqualTo(6);
  }

  /**
   * Checks the tracker against a model of the log and the disk: each write carries the entries
   * appended since the previous one, and on completion the disk drops what follows the write's
   * first index and stores the write's entries. Every entry has a unique id, so the durable prefix
   * is exactly the longest prefix on which log and disk agree.
   */
  @Test
  void durableIndexIsTheLongestPrefixOnWhichLogAndDiskAgree() {
    Seeded.forEachSeed(
        random -> {
          int recovered = random.nextInt(5);
          Model model = new Model(recovered);
          DurabilityTracker tracker = new DurabilityTracker(recovered);

          int steps = random.nextInt(41);
          for (int step = 0; step < steps; step++) {
            switch (random.nextInt(8)) {
              case 0, 1, 2 -> model.append(1 + random.nextInt(3), tracker);
              case 3, 4 -> model.truncate(random.nextInt(model.log.size() + 1), tracker);
              case 5 -> model.completeOldest(tracker);
              case 6 -> model.completeUpTo(random.nextInt((int) model.lastSeq + 1), tracker);
              default -> tracker.completed(random.nextInt((int) model.completedSeq + 1));
            }
            assertThat(tracker.durableIndex())
                .as("after step %d", step)
                .isEqualTo(model.durableIndex());
          }

          model.completeUpTo(model.lastSeq, tracker);
          assertThat(tracker.durableIndex()).isEqualTo(model.log.size());
        });
  }

  private static final class Model {
    private record Write(long seq, int firstIndex, List<Long> ids) {}

    final List<Long> log = new ArrayList<>();
    final List<Long> disk = new ArrayList<>();
    final ArrayDeque<Write> pending = new ArrayDeque<>();
    long lastSeq;
    long completedSeq;
    private long nextId;

    Model(int recovered) {
      for (int i = 0; i < recovered; i++) {
        log.add(nextId);
        disk.add(nextId++);
      }
    }

    void append(int count, DurabilityTracker tracker) {
      int firstIndex = log.size() + 1;
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        ids.add(nextId);
        log.add(nextId++);
      }
      lastSeq = tracker.issued(log.size());
      pending.addLast(new Write(lastSeq, firstIndex, ids));
    }

    void truncate(int keptLastIndex, DurabilityTracker tracker) {
      log.subList(keptLastIndex, log.size()).clear();
      tracker.truncated(keptLastIndex);
    }

    void completeOldest(DurabilityTracker tracker) {
      if (!pending.isEmpty()) {
        completeUpTo(pending.peekFirst().seq(), tracker);
      }
    }

    void completeUpTo(long seq, DurabilityTracker tracker) {
      while (!pending.isEmpty() && pending.peekFirst().seq() <= seq) {
        Write write = pending.pollFirst();
        disk.subList(Math.min(write.firstIndex() - 1, disk.size()), disk.size()).clear();
        disk.addAll(write.ids());
        completedSeq = write.seq();
      }
      tracker.completed(seq);
    }

    long durableIndex() {
      int n = 0;
      while (n < log.size() && n < disk.size() && log.get(n).equals(disk.get(n))) {
        n++;
      }
      return n;
    }
  }
}
