package dev.keel.raft.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.raft.rules.ReplicationProgress.Mode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ReplicationProgressTest {

  private static final int MAX_INFLIGHT = 3;
  private static final int TICK_LIMIT = 3;

  @Nested
  class NewLeader {

    // Figure 2: nextIndex starts at leader last log index + 1, matchIndex at 0
    @Test
    void startsProbingJustAfterTheLeadersLastIndex() {
      ReplicationProgress progress = new ReplicationProgress(10, MAX_INFLIGHT);

      assertThat(progress.nextIndex()).isEqualTo(11);
      assertThat(progress.matchIndex()).isZero();
      assertThat(progress.mode()).isEqualTo(Mode.PROBE);
      assertThat(progress.inflight()).isZero();
    }

    @Test
    void refusesAnEmptyWindow() {
      assertThatThrownBy(() -> new ReplicationProgress(0, 0))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hasNothingToSendWhenTheFollowerIsCaughtUpToTheLeadersLastIndex() {
      ReplicationProgress progress = new ReplicationProgress(10, MAX_INFLIGHT);

      assertThat(progress.canSendEntries(10)).isFalse();
      assertThat(progress.canSendEntries(11)).isTrue();
    }
  }

  @Nested
  class ProbeWindow {

    @Test
    void allowsOnlyOneRequestWithEntriesInFlight() {
      ReplicationProgress progress = new ReplicationProgress(0, MAX_INFLIGHT);
      assertThat(progress.canSendEntries(5)).isTrue();

      progress.sent(1, 5, true);

      assertThat(progress.inflight()).isEqualTo(1);
      assertThat(progress.canSendEntries(10)).isFalse();
    }

    @Test
    void heartbeatsDoNotTakeUpTheWindow() {
      ReplicationProgress progress = new ReplicationProgress(5, MAX_INFLIGHT);

      progress.sent(1, 5, false);
      progress.sent(2, 5, false);

      assertThat(progress.inflight()).isZero();
      assertThat(progress.nextIndex()).isEqualTo(6);
      assertThat(progress.canSendEntries(6)).isTrue();
    }

    @Test
    void sendingEntriesMovesNextIndexPastThem() {
      ReplicationProgress progress = new ReplicationProgress(0, MAX_INFLIGHT);

      progress.sent(1, 4, true);

      assertThat(progress.nextIndex()).isEqualTo(5);
    }

    @Test
    void answerFreesTheProbeSlot() {
      ReplicationProgress progress = new ReplicationProgress(4, MAX_INFLIGHT);
      progress.sent(1, 5, true);

      progress.rejected(1, 2);
      progress.resumeAt(3);

      assertThat(progress.inflight()).isZero();
      assertThat(progress.canSendEntries(5)).isTrue();
    }
  }

  @Nested
  class PipelineWindow {

    private ReplicationProgress pipelining() {
      ReplicationProgress progress = new ReplicationProgress(10, MAX_INFLIGHT);
      progress.sent(1, 10, false);
      progress.succeeded(1, 10);
      return progress;
    }

    @Test
    void successSwitchesToPipelineAndAdvancesMatchIndex() {
      ReplicationProgress progress = new ReplicationProgress(10, MAX_INFLIGHT);
      progress.sent(1, 10, true);

      assertThat(progress.succeeded(1, 10)).isTrue();

      assertThat(progress.mode()).isEqualTo(Mode.PIPELINE);
      assertThat(progress.matchIndex()).isEqualTo(10);
      assertThat(progress.nextIndex()).isEqualTo(11);
      assertThat(progress.inflight()).isZero();
    }

    @Test
    void allowsUpToMaxInflightRequests() {
      ReplicationProgress progress = pipelining();

      progress.sent(2, 12, true);
      progress.sent(3, 14, true);
      assertThat(progress.canSendEntries(20)).isTrue();
      progress.sent(4, 16, true);

      assertThat(progress.inflight()).isEqualTo(MAX_INFLIGHT);
      assertThat(progress.nextIndex()).isEqualTo(17);
      assertThat(progress.canSendEntries(20)).isFalse();
    }

    @Test
    void successFreesOneSlotOfAFullWindow() {
      ReplicationProgress progress = pipelining();
      progress.sent(2, 12, true);
      progress.sent(3, 14, true);
      progress.sent(4, 16, true);

      assertThat(progress.succeeded(2, 12)).isTrue();

      assertThat(progress.inflight()).isEqualTo(2);
      assertThat(progress.matchIndex()).isEqualTo(12);
      assertThat(progress.nextIndex()).isEqualTo(17);
      assertThat(progress.canSendEntries(20)).isTrue();
    }

    @Test
    void reorderedOrDuplicatedSuccessNeverMovesMatchIndexBack() {
      ReplicationProgress progress = pipelining();
      progress.sent(2, 12, true);
      progress.sent(3, 14, true);
      progress.succeeded(3, 14);

      assertThat(progress.succeeded(2, 12)).isFalse();
      assertThat(progress.succeeded(3, 14)).isFalse();

      assertThat(progress.matchIndex()).isEqualTo(14);
      assertThat(progress.nextIndex()).isEqualTo(15);
      assertThat(progress.inflight()).isZero();
    }
  }

  @Nested
  class Rejections {

    // §5.3: after a rejection the leader decrements nextIndex and retries, one probe at a time
    @Test
    void currentRejectionFallsBackToProbingAndClearsTheWindow() {
      ReplicationProgress progress = new ReplicationProgress(10, MAX_INFLIGHT);
      progress.succeeded(1, 10);
      progress.sent(2, 12, true);
      progress.sent(3, 14, true);

      assertThat(progress.rejected(2, 4)).isTrue();

      assertThat(progress.mode()).isEqualTo(Mode.PROBE);
      assertThat(progress.inflight()).isZero();
    }

    @Test
    void rejectionsOfRequestsSentBeforeTheResetAreStale() {
      ReplicationProgress progress = new ReplicationProgress(10, MAX_INFLIGHT);
      progress.succeeded(1, 10);
      progress.sent(2, 12, true);
      progress.sent(3, 14, true);
      progress.sent(4, 16, true);
      progress.rejected(2, 5);
      progress.resumeAt(11);

      assertThat(progress.rejected(3, 6)).isFalse();
      assertThat(progress.rejected(4, 6)).isFalse();

      assertThat(progress.nextIndex()).isEqualTo(11);
      assertThat(progress.mode()).isEqualTo(Mode.PROBE);
    }

    @Test
    void staleRejectionDoesNotEmptyTheNewProbe() {
      ReplicationProgress progress = new ReplicationProgress(10, MAX_INFLIGHT);
      progress.succeeded(1, 10);
      progress.sent(2, 12, true);
      progress.sent(3, 14, true);
      progress.rejected(2, 4);
      progress.resumeAt(11);
      progress.sent(4, 14, true);

      progress.rejected(3, 5);

      assertThat(progress.inflight()).isEqualTo(1);
      assertThat(progress.canSendEntries(20)).isFalse();
    }

    @Test
    void rejectionOfARequestSentAfterTheResetIsCurrent() {
      ReplicationProgress progress = new ReplicationProgress(10, MAX_INFLIGHT);
      progress.sent(1, 10, false);
      progress.rejected(1, 2);
      progress.resumeAt(6);
      progress.sent(2, 10, true);

      assertThat(progress.rejected(2, 3)).isTrue();
    }

    @Test
    void resumeMovesNextIndexToTheResolvedHint() {
      ReplicationProgress progress = new ReplicationProgress(10, MAX_INFLIGHT);
      progress.rejected(1, 2);

      progress.resumeAt(4);

      assertThat(progress.nextIndex()).isEqualTo(4);
    }

    // Figure 2 invariant: matchIndex < nextIndex
    @Test
    void resumeNeverGoesAtOrBelowTheMatchIndex() {
      ReplicationProgress progress = new ReplicationProgress(10, MAX_INFLIGHT);
      progress.succeeded(1, 6);
      progress.sent(2, 10, true);
      progress.rejected(2, 3);

      progress.resumeAt(2);

      assertThat(progress.nextIndex()).isEqualTo(7);
    }
  }

  @Nested
  class Ticks {

    @Test
    void tickWithNothingInFlightNeverResets() {
      ReplicationProgress progress = new ReplicationProgress(10, MAX_INFLIGHT);
      progress.succeeded(1, 10);

      for (int i = 0; i < 2 * TICK_LIMIT; i++) {
        assertThat(progress.tick(TICK_LIMIT, 2)).isFalse();
      }
      assertThat(progress.mode()).isEqualTo(Mode.PIPELINE);
    }

    @Test
    void unansweredRequestsArePresumedLostAfterTheTickLimit() {
      ReplicationProgress progress = new ReplicationProgress(10, MAX_INFLIGHT);
      progress.succeeded(1, 10);
      progress.sent(2, 12, true);
      progress.sent(3, 14, true);

      assertThat(progress.tick(TICK_LIMIT, 4)).isFalse();
      assertThat(progress.tick(TICK_LIMIT, 4)).isFalse();
      assertThat(progress.tick(TICK_LIMIT, 4)).isTrue();

      assertThat(progress.mode()).isEqualTo(Mode.PROBE);
      assertThat(progress.inflight()).isZero();
      assertThat(progress.nextIndex()).isEqualTo(11);
      assertThat(progress.matchIndex()).isEqualTo(10);
    }

    @Test
    void anAnswerRestartsTheTickCount() {
      ReplicationProgress progress = new ReplicationProgress(10, MAX_INFLIGHT);
      progress.succeeded(1, 10);
      progress.sent(2, 12, true);
      progress.sent(3, 14, true);
      progress.tick(TICK_LIMIT, 4);
      progress.tick(TICK_LIMIT, 4);

      progress.succeeded(2, 12);

      assertThat(progress.tick(TICK_LIMIT, 4)).isFalse();
      assertThat(progress.tick(TICK_LIMIT, 4)).isFalse();
      assertThat(progress.tick(TICK_LIMIT, 4)).isTrue();
      assertThat(progress.nextIndex()).isEqualTo(13);
    }

    @Test
    void lateRejectionAfterATimeoutIsStale() {
      ReplicationProgress progress = new ReplicationProgress(10, MAX_INFLIGHT);
      progress.sent(1, 10, true);
      progress.tick(1, 2);

      assertThat(progress.rejected(1, 3)).isFalse();
      assertThat(progress.nextIndex()).isEqualTo(1);
    }

    // A success is true whenever it arrives: the follower's log matches up to that index.
    @Test
    void lateSuccessAfterATimeoutStillAdvancesMatchIndex() {
      ReplicationProgress progress = new ReplicationProgress(10, MAX_INFLIGHT);
      progress.sent(1, 10, true);
      progress.tick(1, 2);

      assertThat(progress.succeeded(1, 10)).isTrue();
      assertThat(progress.matchIndex()).isEqualTo(10);
      assertThat(progress.nextIndex()).isEqualTo(11);
    }
  }

  // Figure 2 invariant on any sequence of events: 0 <= matchIndex < nextIndex, matchIndex never
  // decreases, and the window never holds more than the mode allows.
  @Test
  void keepsItsInvariantsUnderAnySequenceOfEvents() {
    Seeded.forEachSeed(
        random -> {
          int leaderLastIndex = random.nextInt(21);
          int maxInflight = 1 + random.nextInt(4);
          ReplicationProgress progress = new ReplicationProgress(leaderLastIndex, maxInflight);
          long correlationId = 0;
          long highestMatch = 0;
          int events = random.nextInt(51);
          for (int event = 0; event < events; event++) {
            switch (random.nextInt(6)) {
              case 0 -> {
                if (progress.canSendEntries(leaderLastIndex)) {
                  long last = Math.min(leaderLastIndex, progress.nextIndex() + random.nextInt(3));
                  progress.sent(++correlationId, last, true);
                }
              }
              case 1 -> progress.sent(++correlationId, progress.nextIndex() - 1, false);
              case 2 ->
                  progress.succeeded(
                      random.nextInt((int) correlationId + 1), random.nextInt(leaderLastIndex + 1));
              case 3 -> {
                if (progress.rejected(random.nextInt((int) correlationId + 1), correlationId + 1)) {
                  progress.resumeAt(1 + random.nextInt(leaderLastIndex + 1));
                }
              }
              case 4 -> progress.tick(1 + random.nextInt(3), correlationId + 1);
              default -> progress.resumeAt(random.nextInt(leaderLastIndex + 2));
            }
            assertThat(progress.matchIndex()).isBetween(highestMatch, (long) leaderLastIndex);
            assertThat(progress.nextIndex()).isGreaterThan(progress.matchIndex());
            int window = progress.mode() == Mode.PROBE ? 1 : maxInflight;
            assertThat(progress.inflight()).isLessThanOrEqualTo(window);
            highestMatch = progress.matchIndex();
          }
        });
  }
}
