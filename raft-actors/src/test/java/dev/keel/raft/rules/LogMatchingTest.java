package dev.keel.raft.rules;

import static dev.keel.raft.rules.TestLogs.apply;
import static dev.keel.raft.rules.TestLogs.entries;
import static dev.keel.raft.rules.TestLogs.entriesFrom;
import static dev.keel.raft.rules.TestLogs.entry;
import static dev.keel.raft.rules.TestLogs.log;
import static dev.keel.raft.rules.TestLogs.terms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.persistence.LogEntry;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LogMatchingTest {

  private static AppendDecision.Accept accepted(AppendDecision decision) {
    assertThat(decision).isInstanceOf(AppendDecision.Accept.class);
    return (AppendDecision.Accept) decision;
  }

  @Nested
  class ConsistencyCheck {

    // §5.3: prevLogIndex 0 always matches
    @Test
    void acceptsHeartbeatOnEmptyLog() {
      AppendDecision decision = LogMatching.evaluate(new RaftLog(), 0, 0, List.of());

      assertThat(decision).isEqualTo(new AppendDecision.Accept(0, List.of(), 0));
    }

    @Test
    void acceptsFirstEntriesOnEmptyLog() {
      List<LogEntry> sent = entries(1, 1);

      AppendDecision decision = LogMatching.evaluate(new RaftLog(), 0, 0, sent);

      assertThat(decision).isEqualTo(new AppendDecision.Accept(0, sent, 2));
    }

    @Test
    void appendsEntriesAfterAMatchingPrevEntry() {
      List<LogEntry> sent = entriesFrom(3, 2, 2);

      AppendDecision decision = LogMatching.evaluate(log(1, 1), 2, 1, sent);

      assertThat(decision).isEqualTo(new AppendDecision.Accept(0, sent, 4));
    }

    // §5.3: reply false if the log doesn't contain an entry at prevLogIndex
    @Test
    void rejectsWhenLogIsTooShortWithHintAfterItsLastIndex() {
      AppendDecision decision = LogMatching.evaluate(log(1, 1, 2), 7, 3, entriesFrom(8, 3));

      assertThat(decision).isEqualTo(new AppendDecision.Reject(4, 0));
    }

    @Test
    void rejectsOnEmptyLogWithHintAtIndexOne() {
      AppendDecision decision = LogMatching.evaluate(new RaftLog(), 1, 1, List.of());

      assertThat(decision).isEqualTo(new AppendDecision.Reject(1, 0));
    }

    // §5.3: reply false if the entry at prevLogIndex has another term; the hint names the first
    // index of the follower's conflicting term so the leader can skip it whole
    @Test
    void rejectsConflictingTermWithHintAtFirstIndexOfThatTerm() {
      RaftLog follower = log(1, 1, 2, 2, 2, 3);

      AppendDecision decision = LogMatching.evaluate(follower, 5, 4, entriesFrom(6, 4));

      assertThat(decision).isEqualTo(new AppendDecision.Reject(3, 2));
    }

    @Test
    void rejectsConflictInTheFirstTermWithHintAtIndexOne() {
      AppendDecision decision = LogMatching.evaluate(log(1, 1, 1), 2, 2, List.of());

      assertThat(decision).isEqualTo(new AppendDecision.Reject(1, 1));
    }

    @Test
    void rejectsWithoutTouchingTheLog() {
      RaftLog follower = log(1, 2, 2);

      LogMatching.evaluate(follower, 3, 3, entriesFrom(4, 3));

      assertThat(terms(follower)).containsExactly(1L, 2L, 2L);
    }
  }

  @Nested
  class ConflictResolution {

    // §5.3: delete the conflicting entry and all that follow it, then append
    @Test
    void truncatesAConflictingSuffixAndAppendsTheLeadersEntries() {
      RaftLog follower = log(1, 1, 2, 2);
      List<LogEntry> sent = entriesFrom(3, 3, 3);

      AppendDecision.Accept accept = accepted(LogMatching.evaluate(follower, 2, 1, sent));

      assertThat(accept).isEqualTo(new AppendDecision.Accept(3, sent, 4));
      apply(follower, accept);
      assertThat(terms(follower)).containsExactly(1L, 1L, 3L, 3L);
    }

    // §5.3: only the first conflicting entry and its followers go; matching ones stay
    @Test
    void truncatesFromTheFirstConflictNotFromPrevLogIndex() {
      RaftLog follower = log(1, 1, 2, 2, 2);
      List<LogEntry> sent = entriesFrom(3, 2, 3, 3);

      AppendDecision.Accept accept = accepted(LogMatching.evaluate(follower, 2, 1, sent));

      assertThat(accept.truncateFrom()).isEqualTo(4);
      assertThat(accept.toAppend()).containsExactly(entry(4, 3), entry(5, 3));
      assertThat(accept.lastNewIndex()).isEqualTo(5);
      apply(follower, accept);
      assertThat(terms(follower)).containsExactly(1L, 1L, 2L, 3L, 3L);
    }

    @Test
    void truncatesAConflictingSuffixLongerThanTheRequest() {
      RaftLog follower = log(1, 2, 2, 2, 2, 2);
      List<LogEntry> sent = entriesFrom(2, 3);

      AppendDecision.Accept accept = accepted(LogMatching.evaluate(follower, 1, 1, sent));

      assertThat(accept).isEqualTo(new AppendDecision.Accept(2, sent, 2));
      apply(follower, accept);
      assertThat(terms(follower)).containsExactly(1L, 3L);
    }

    @Test
    void appendsOnlyTheEntriesTheFollowerDoesNotHave() {
      RaftLog follower = log(1, 1, 1);

      AppendDecision.Accept accept =
          accepted(LogMatching.evaluate(follower, 1, 1, entriesFrom(2, 1, 1, 2, 2)));

      assertThat(accept.truncateFrom()).isZero();
      assertThat(accept.toAppend()).containsExactly(entry(4, 2), entry(5, 2));
      assertThat(accept.lastNewIndex()).isEqualTo(5);
    }
  }

  @Nested
  class DuplicatedAndReorderedRequests {

    // §5.3: "if an existing entry conflicts with a new one" — matching entries are never removed
    @Test
    void duplicatedRequestChangesNothing() {
      RaftLog follower = log(1, 1);
      List<LogEntry> sent = entriesFrom(3, 2, 2);
      apply(follower, accepted(LogMatching.evaluate(follower, 2, 1, sent)));

      AppendDecision.Accept again = accepted(LogMatching.evaluate(follower, 2, 1, sent));

      assertThat(again).isEqualTo(new AppendDecision.Accept(0, List.of(), 4));
      assertThat(terms(follower)).containsExactly(1L, 1L, 2L, 2L);
    }

    @Test
    void delayedShorterRequestDoesNotCutOffEntriesALaterRequestAppended() {
      RaftLog follower = log(1, 1, 2, 2, 2, 2);

      AppendDecision.Accept stale =
          accepted(LogMatching.evaluate(follower, 2, 1, entriesFrom(3, 2)));

      assertThat(stale).isEqualTo(new AppendDecision.Accept(0, List.of(), 3));
      apply(follower, stale);
      assertThat(terms(follower)).containsExactly(1L, 1L, 2L, 2L, 2L, 2L);
    }

    // Figure 2: lastNewIndex is the last index the request covered, not the follower's last
    // index, so a follower never commits entries the leader did not vouch for (§5.3)
    @Test
    void lastNewIndexCoversOnlyTheRequestNotTheFollowersLongerLog() {
      RaftLog follower = log(1, 1, 2, 2, 2);

      assertThat(accepted(LogMatching.evaluate(follower, 2, 1, List.of())).lastNewIndex())
          .isEqualTo(2);
      assertThat(accepted(LogMatching.evaluate(follower, 1, 1, entriesFrom(2, 1))).lastNewIndex())
          .isEqualTo(2);
    }

    @Test
    void heartbeatNeverTruncatesEntriesAfterPrevLogIndex() {
      RaftLog follower = log(1, 1, 2);

      AppendDecision.Accept accept = accepted(LogMatching.evaluate(follower, 1, 1, List.of()));

      assertThat(accept).isEqualTo(new AppendDecision.Accept(0, List.of(), 1));
    }

    @Test
    void overlappingRequestAppendsOnlyTheTail() {
      RaftLog follower = log(1, 1, 1);
      List<LogEntry> sent = entriesFrom(2, 1, 1, 1);

      AppendDecision.Accept accept = accepted(LogMatching.evaluate(follower, 1, 1, sent));

      assertThat(accept).isEqualTo(new AppendDecision.Accept(0, List.of(entry(4, 1)), 4));
    }

    // Log Matching Property (§5.3): requests cut from one leader log, delivered in any order and
    // any number of times, leave the follower with a prefix of that log and never shrink it.
    @Test
    void requestsFromOneLeaderLogNeverShrinkAFollowerThatMatchesIt() {
      Seeded.forEachSeed(
          random -> {
            RaftLog leader = log(Seeded.nonDecreasingTerms(random, 1 + random.nextInt(12)));
            RaftLog follower = new RaftLog();
            int requests = random.nextInt(21);
            for (int r = 0; r < requests; r++) {
              long prevLogIndex = random.nextInt((int) leader.lastIndex() + 1);
              long lastIndex =
                  prevLogIndex + random.nextInt((int) (leader.lastIndex() - prevLogIndex) + 1);
              long before = follower.lastIndex();

              AppendDecision decision =
                  LogMatching.evaluate(
                      follower,
                      prevLogIndex,
                      leader.termAt(prevLogIndex),
                      leader.range(prevLogIndex + 1, lastIndex));

              if (prevLogIndex > before) {
                assertThat(decision).isEqualTo(new AppendDecision.Reject(before + 1, 0));
                continue;
              }
              AppendDecision.Accept accept = accepted(decision);
              assertThat(accept.truncateFrom()).isZero();
              assertThat(accept.lastNewIndex()).isEqualTo(lastIndex);
              apply(follower, accept);
              assertThat(follower.lastIndex()).isEqualTo(Math.max(before, lastIndex));
              assertThat(terms(follower))
                  .isEqualTo(terms(leader).subList(0, (int) follower.lastIndex()));
            }
          });
    }
  }

  @Nested
  class NextIndexAfterRejection {

    // Leader of term 8 in Figure 7.
    private final RaftLog leader = log(1, 1, 1, 4, 4, 5, 5, 6, 6, 6);

    @Test
    void followerTooShortResumesAfterItsLastIndex() {
      assertThat(LogMatching.nextIndexAfterRejection(leader, 5, 0, 0)).isEqualTo(5);
    }

    @Test
    void leaderWithEntriesOfTheConflictTermResumesAfterItsLastEntryOfThatTerm() {
      // The follower has term 4 from index 4 on; the leader's last term-4 entry is at 5.
      assertThat(LogMatching.nextIndexAfterRejection(leader, 4, 4, 0)).isEqualTo(6);
    }

    @Test
    void leaderWithoutEntriesOfTheConflictTermResumesAtTheFollowersFirstIndexOfIt() {
      // The follower has term 3 from index 7 on; the leader has no term-3 entries.
      assertThat(LogMatching.nextIndexAfterRejection(leader, 7, 3, 0)).isEqualTo(7);
    }

    @Test
    void neverResumesPastTheLeadersLastIndexPlusOne() {
      assertThat(LogMatching.nextIndexAfterRejection(leader, 15, 0, 0)).isEqualTo(11);
    }

    @Test
    void neverResumesAtOrBelowTheMatchIndex() {
      assertThat(LogMatching.nextIndexAfterRejection(leader, 1, 1, 6)).isEqualTo(7);
      assertThat(LogMatching.nextIndexAfterRejection(leader, 2, 0, 4)).isEqualTo(5);
    }

    static List<Arguments> figure7Followers() {
      return List.of(
          Arguments.of("a", new long[] {1, 1, 1, 4, 4, 5, 5, 6, 6}, 2),
          Arguments.of("b", new long[] {1, 1, 1, 4}, 2),
          Arguments.of("c", new long[] {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6}, 1),
          Arguments.of("d", new long[] {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7}, 1),
          Arguments.of("e", new long[] {1, 1, 1, 4, 4, 4, 4}, 3),
          Arguments.of("f", new long[] {1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3}, 3));
    }

    // §5.3 and Figure 7: the leader brings every possible follower log back in line, skipping a
    // whole conflicting term per rejection instead of one entry per round trip
    @ParameterizedTest(name = "follower ({0})")
    @MethodSource("figure7Followers")
    void bringsEveryFigure7FollowerInLineWithinAFewRoundTrips(
        String name, long[] followerTerms, int expectedRounds) {
      RaftLog follower = log(followerTerms);
      long nextIndex = leader.lastIndex() + 1;
      int rounds = 0;
      AppendDecision decision;
      do {
        rounds++;
        long prevLogIndex = nextIndex - 1;
        decision =
            LogMatching.evaluate(
                follower,
                prevLogIndex,
                leader.termAt(prevLogIndex),
                leader.range(nextIndex, leader.lastIndex()));
        if (decision instanceof AppendDecision.Reject reject) {
          long resumed =
              LogMatching.nextIndexAfterRejection(
                  leader, reject.conflictIndex(), reject.conflictTerm(), 0);
          assertThat(resumed).isLessThan(nextIndex);
          nextIndex = resumed;
        }
      } while (decision instanceof AppendDecision.Reject && rounds < 20);

      AppendDecision.Accept accept = accepted(decision);
      assertThat(accept.lastNewIndex()).isEqualTo(leader.lastIndex());
      apply(follower, accept);
      assertThat(terms(follower).subList(0, 10)).isEqualTo(terms(leader));
      assertThat(rounds).isEqualTo(expectedRounds);
    }
  }
}
