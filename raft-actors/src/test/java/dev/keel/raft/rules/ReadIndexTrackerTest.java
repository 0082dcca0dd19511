package dev.keel.raft.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.rules.ReadIndexTracker.PendingRead;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ReadIndexTrackerTest {

  private static List<String> payloads(List<PendingRead<String>> reads) {
    return reads.stream().map(PendingRead::payload).toList();
  }

  @Nested
  class SingleVoter {

    // Thesis §6.4: with one voter the leader's own acknowledgement is a majority
    @Test
    void confirmsAReadAtOnce() {
      ReadIndexTracker<String> tracker = new ReadIndexTracker<>("a", Set.of("a"));
      long round = tracker.startRound();
      tracker.add(round, 7, "q1");

      List<PendingRead<String>> confirmed = tracker.drainConfirmed();

      assertThat(confirmed).containsExactly(new PendingRead<>(round, 7, "q1"));
      assertThat(tracker.drainAll()).isEmpty();
    }

    @Test
    void confirmsEveryReadOfEveryRound() {
      ReadIndexTracker<String> tracker = new ReadIndexTracker<>("a", Set.of("a"));
      tracker.add(tracker.startRound(), 1, "q1");
      tracker.add(tracker.startRound(), 2, "q2");

      assertThat(payloads(tracker.drainConfirmed())).containsExactly("q1", "q2");
    }
  }

  @Nested
  class Majority {

    private final ReadIndexTracker<String> three =
        new ReadIndexTracker<>("a", Set.of("a", "b", "c"));
    private final ReadIndexTracker<String> five =
        new ReadIndexTracker<>("a", Set.of("a", "b", "c", "d", "e"));

    // Thesis §6.4 step 3: the leader needs a majority to answer a heartbeat sent after the read
    @Test
    void doesNotConfirmAReadBeforeAnyFollowerAnswers() {
      three.add(three.startRound(), 4, "q1");

      assertThat(three.drainConfirmed()).isEmpty();
    }

    @Test
    void confirmsAReadOnceOneOfTwoFollowersAnswers() {
      long round = three.startRound();
      three.add(round, 4, "q1");

      assertThat(payloads(three.acknowledged("b", round))).containsExactly("q1");
      assertThat(three.drainAll()).isEmpty();
    }

    @Test
    void needsTwoOfFourFollowersInAFiveVoterGroup() {
      long round = five.startRound();
      five.add(round, 4, "q1");

      assertThat(five.acknowledged("b", round)).isEmpty();
      assertThat(payloads(five.acknowledged("e", round))).containsExactly("q1");
    }

    @Test
    void countsRepeatedAnswersFromOneFollowerOnce() {
      long round = five.startRound();
      five.add(round, 4, "q1");

      five.acknowledged("b", round);
      assertThat(five.acknowledged("b", round)).isEmpty();
      assertThat(five.acknowledged("b", round)).isEmpty();
    }

    @Test
    void ignoresAnswersFromNonVoters() {
      long round = three.startRound();
      three.add(round, 4, "q1");

      assertThat(three.acknowledged("x", round)).isEmpty();
      assertThat(three.acknowledged("y", round)).isEmpty();
    }

    // Thesis §6.4: an answer to a heartbeat sent before the read arrived proves nothing about it
    @Test
    void answerToAnEarlierRoundDoesNotConfirmALaterRead() {
      long first = three.startRound();
      long second = three.startRound();
      three.add(second, 4, "q1");

      assertThat(three.acknowledged("b", first)).isEmpty();
      assertThat(payloads(three.acknowledged("c", second))).containsExactly("q1");
    }

    @Test
    void answerToALaterRoundConfirmsEarlierReads() {
      long first = three.startRound();
      three.add(first, 4, "q1");
      long second = three.startRound();
      three.add(second, 5, "q2");

      assertThat(payloads(three.acknowledged("b", second))).containsExactly("q1", "q2");
    }

    @Test
    void confirmsReadsInArrivalOrderAndLeavesLaterRoundsWaiting() {
      long first = three.startRound();
      three.add(first, 4, "q1");
      three.add(first, 4, "q2");
      long second = three.startRound();
      three.add(second, 6, "q3");

      List<PendingRead<String>> confirmed = three.acknowledged("c", first);

      assertThat(payloads(confirmed)).containsExactly("q1", "q2");
      assertThat(confirmed).extracting(PendingRead::readIndex).containsExactly(4L, 4L);
      assertThat(payloads(three.acknowledged("c", second))).containsExactly("q3");
    }

    @Test
    void aFollowersAcknowledgedRoundNeverGoesBack() {
      long first = five.startRound();
      long second = five.startRound();
      five.add(second, 4, "q1");
      five.acknowledged("b", second);

      assertThat(five.acknowledged("b", first)).isEmpty();

      // b's answer to the second round still counts, so one more answer confirms the read.
      assertThat(payloads(five.acknowledged("c", second))).containsExactly("q1");
    }

    @Test
    void answersFromDifferentFollowersToDifferentRoundsCountUpToTheLowerRound() {
      long first = five.startRound();
      five.add(first, 1, "q1");
      long second = five.startRound();
      five.add(second, 2, "q2");

      five.acknowledged("b", second);

      assertThat(payloads(five.acknowledged("c", first))).containsExactly("q1");
      assertThat(payloads(five.acknowledged("d", second))).containsExactly("q2");
    }
  }

  @Nested
  class Rounds {

    @Test
    void numbersRoundsFromOne() {
      ReadIndexTracker<String> tracker = new ReadIndexTracker<>("a", Set.of("a", "b", "c"));
      assertThat(tracker.latestRound()).isZero();

      assertThat(tracker.startRound()).isEqualTo(1);
      assertThat(tracker.startRound()).isEqualTo(2);
      assertThat(tracker.latestRound()).isEqualTo(2);
    }
  }

  @Nested
  class Removal {

    private final ReadIndexTracker<String> tracker =
        new ReadIndexTracker<>("a", Set.of("a", "b", "c"));

    // Thesis §6.4: a leader that steps down fails its waiting reads
    @Test
    void drainAllReturnsEveryWaitingReadInArrivalOrder() {
      tracker.add(tracker.startRound(), 1, "q1");
      tracker.add(tracker.startRound(), 2, "q2");

      assertThat(payloads(tracker.drainAll())).containsExactly("q1", "q2");
      assertThat(tracker.drainAll()).isEmpty();
      assertThat(tracker.acknowledged("b", 2)).isEmpty();
    }

    @Test
    void removeIfTakesOutOnlyTheSelectedReads() {
      long round = tracker.startRound();
      tracker.add(round, 1, "keep-1");
      tracker.add(round, 1, "expired");
      tracker.add(round, 1, "keep-2");

      assertThat(payloads(tracker.removeIf(p -> p.startsWith("expired"))))
          .containsExactly("expired");
      assertThat(payloads(tracker.acknowledged("b", round))).containsExactly("keep-1", "keep-2");
    }

    @Test
    void removeIfSelectingNothingRemovesNothing() {
      tracker.add(tracker.startRound(), 1, "q1");

      assertThat(tracker.removeIf(p -> false)).isEmpty();
      assertThat(tracker.drainAll()).hasSize(1);
    }
  }
}
