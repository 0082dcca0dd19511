package dev.keel.raft.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.rules.VoteRules.Decision;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VoteRulesTest {

  // The voter: term 5, last entry at index 10 with term 4.
  private static final long TERM = 5;
  private static final long LAST_INDEX = 10;
  private static final long LAST_TERM = 4;

  private static VoteRequest vote(String candidate, long term, long lastIndex, long lastTerm) {
    return new VoteRequest(term, candidate, lastIndex, lastTerm, false);
  }

  private static VoteRequest preVote(String candidate, long term, long lastIndex, long lastTerm) {
    return new VoteRequest(term, candidate, lastIndex, lastTerm, true);
  }

  private static Decision decide(String votedFor, boolean leaderSeen, VoteRequest request) {
    return VoteRules.decide(TERM, votedFor, LAST_INDEX, LAST_TERM, leaderSeen, request);
  }

  @Nested
  class RealVotes {

    // §5.2: votedFor is null and the candidate's log is as up-to-date
    @Test
    void grantsVoteToCandidateWithEqualLogWhenNotYetVoted() {
      assertThat(decide(null, false, vote("b", TERM, LAST_INDEX, LAST_TERM)))
          .isEqualTo(Decision.GRANT);
    }

    // §5.1: reply false if term < currentTerm
    @Test
    void refusesVoteForStaleTerm() {
      assertThat(decide(null, false, vote("b", TERM - 1, LAST_INDEX + 5, LAST_TERM + 1)))
          .isEqualTo(Decision.REFUSE_STALE_TERM);
    }

    // §5.2: each server votes for at most one candidate in a given term
    @Test
    void refusesVoteWhenAlreadyVotedForAnotherCandidateInTheTerm() {
      assertThat(decide("c", false, vote("b", TERM, LAST_INDEX, LAST_TERM)))
          .isEqualTo(Decision.REFUSE_ALREADY_VOTED);
    }

    // §5.2: votedFor is candidateId, e.g. a retransmitted RequestVote
    @Test
    void grantsVoteAgainToTheCandidateItAlreadyVotedFor() {
      assertThat(decide("b", false, vote("b", TERM, LAST_INDEX, LAST_TERM)))
          .isEqualTo(Decision.GRANT);
    }

    // §5.4.1 up-to-date check: a later last term wins even with a shorter log
    @Test
    void grantsVoteWhenCandidateHasLaterLastTermButShorterLog() {
      assertThat(decide(null, false, vote("b", TERM, 3, LAST_TERM + 1))).isEqualTo(Decision.GRANT);
    }

    // §5.4.1 up-to-date check: an earlier last term loses even with a longer log
    @Test
    void refusesVoteWhenCandidateLastTermIsBehindDespiteLongerLog() {
      assertThat(decide(null, false, vote("b", TERM, LAST_INDEX + 100, LAST_TERM - 1)))
          .isEqualTo(Decision.REFUSE_LOG_BEHIND);
    }

    // §5.4.1 up-to-date check: same last term, the longer log wins
    @Test
    void refusesVoteWhenCandidateLogIsBehind() {
      assertThat(decide(null, false, vote("b", TERM, LAST_INDEX - 1, LAST_TERM)))
          .isEqualTo(Decision.REFUSE_LOG_BEHIND);
    }

    // §5.4.1 up-to-date check: same last term, a longer candidate log is more up-to-date
    @Test
    void grantsVoteWhenCandidateLogIsLongerWithSameLastTerm() {
      assertThat(decide(null, false, vote("b", TERM, LAST_INDEX + 1, LAST_TERM)))
          .isEqualTo(Decision.GRANT);
    }

    // §5.4.1: even the candidate it voted for must have an up-to-date log
    @Test
    void refusesVoteToPreviousChoiceWhoseLogIsBehind() {
      assertThat(decide("b", false, vote("b", TERM, LAST_INDEX - 1, LAST_TERM)))
          .isEqualTo(Decision.REFUSE_LOG_BEHIND);
    }

    // Thesis §4.2.3: a voter that hears from a live leader disregards RequestVote
    @Test
    void refusesVoteWhileLeaderIsAlive() {
      assertThat(decide(null, true, vote("b", TERM, LAST_INDEX, LAST_TERM)))
          .isEqualTo(Decision.REFUSE_LEADER_ALIVE);
    }

    // §5.1: a stale candidate learns it is stale, whatever else holds
    @Test
    void reportsStaleTermBeforeAnyOtherReason() {
      assertThat(decide("c", true, vote("b", TERM - 1, 0, 0)))
          .isEqualTo(Decision.REFUSE_STALE_TERM);
    }

    @Test
    void grantsVoteOnEmptyLogsToCandidateWithEmptyLog() {
      assertThat(VoteRules.decide(1, null, 0, 0, false, vote("b", 1, 0, 0)))
          .isEqualTo(Decision.GRANT);
    }
  }

  @Nested
  class PreVotes {

    // Thesis §9.6: a pre-vote does not bind the voter, so an earlier vote does not matter
    @Test
    void grantsPreVoteEvenAfterVotingForAnotherCandidate() {
      assertThat(decide("c", false, preVote("b", TERM, LAST_INDEX, LAST_TERM)))
          .isEqualTo(Decision.GRANT);
    }

    @Test
    void grantsPreVoteForTheNextTerm() {
      assertThat(decide("c", false, preVote("b", TERM + 1, LAST_INDEX, LAST_TERM)))
          .isEqualTo(Decision.GRANT);
    }

    // Thesis §9.6 with §5.4.1: a pre-candidate must have an up-to-date log
    @Test
    void refusesPreVoteWhenCandidateLogIsBehind() {
      assertThat(decide(null, false, preVote("b", TERM + 1, LAST_INDEX, LAST_TERM - 1)))
          .isEqualTo(Decision.REFUSE_LOG_BEHIND);
    }

    // Thesis §9.6: pre-votes are refused while the voter hears from a leader
    @Test
    void refusesPreVoteWhileLeaderIsAlive() {
      assertThat(decide(null, true, preVote("b", TERM + 1, LAST_INDEX + 1, LAST_TERM + 1)))
          .isEqualTo(Decision.REFUSE_LEADER_ALIVE);
    }

    // §5.1
    @Test
    void refusesPreVoteForAStaleTerm() {
      assertThat(decide(null, false, preVote("b", TERM - 1, LAST_INDEX, LAST_TERM)))
          .isEqualTo(Decision.REFUSE_STALE_TERM);
    }
  }

  @Nested
  class UpToDate {

    // §5.4.1: compare last terms first, then lengths
    @ParameterizedTest(name = "({0},{1}) vs ours ({2},{3}) -> {4}")
    @CsvSource({
      "10, 4, 10, 4, true",
      "11, 4, 10, 4, true",
      " 9, 4, 10, 4, false",
      " 1, 5, 10, 4, true",
      "99, 3, 10, 4, false",
      " 0, 0,  0, 0, true",
      " 0, 0,  1, 1, false",
      " 1, 1,  0, 0, true"
    })
    void comparesLastTermThenLength(
        long index, long term, long ourIndex, long ourTerm, boolean upToDate) {
      assertThat(VoteRules.isUpToDate(index, term, ourIndex, ourTerm)).isEqualTo(upToDate);
    }
  }

  // §5.4.1: "at least as up-to-date" is the lexicographic order on (lastTerm, lastIndex);
  // checked exhaustively over small logs
  @Test
  void upToDateIsLexicographicOnLastTermThenLastIndex() {
    for (long index = 0; index <= 6; index++) {
      for (long term = 0; term <= 6; term++) {
        for (long ourIndex = 0; ourIndex <= 6; ourIndex++) {
          for (long ourTerm = 0; ourTerm <= 6; ourTerm++) {
            int comparison =
                term != ourTerm ? Long.compare(term, ourTerm) : Long.compare(index, ourIndex);
            boolean upToDate = VoteRules.isUpToDate(index, term, ourIndex, ourTerm);

            assertThat(upToDate)
                .as("(%d,%d) vs (%d,%d)", index, term, ourIndex, ourTerm)
                .isEqualTo(comparison >= 0);
            // Any two logs are comparable: one is at least as up-to-date as the other.
            assertThat(upToDate || VoteRules.isUpToDate(ourIndex, ourTerm, index, term)).isTrue();
          }
        }
      }
    }
  }
}
