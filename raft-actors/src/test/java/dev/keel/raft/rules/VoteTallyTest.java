package dev.keel.raft.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.rules.VoteTally.Result;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VoteTallyTest {

  private static final Set<String> THREE = Set.of("a", "b", "c");
  private static final Set<String> FOUR = Set.of("a", "b", "c", "d");
  private static final Set<String> FIVE = Set.of("a", "b", "c", "d", "e");

  @Test
  void isPendingBeforeAnyAnswer() {
    assertThat(new VoteTally(THREE).result()).isEqualTo(Result.PENDING);
  }

  // §5.2: a single-voter cluster elects itself with its own vote
  @Test
  void singleVoterWinsWithItsOwnVote() {
    assertThat(new VoteTally(Set.of("a")).record("a", true)).isEqualTo(Result.WON);
  }

  // §5.2: a candidate wins once it has votes from a majority
  @Test
  void winsWithAMajorityOfThree() {
    VoteTally tally = new VoteTally(THREE);

    assertThat(tally.record("a", true)).isEqualTo(Result.PENDING);
    assertThat(tally.record("b", true)).isEqualTo(Result.WON);
    assertThat(tally.result()).isEqualTo(Result.WON);
  }

  @Test
  void winsDespiteAMinorityRefusing() {
    VoteTally tally = new VoteTally(FIVE);
    tally.record("a", true);
    tally.record("b", false);
    tally.record("c", false);
    tally.record("d", true);

    assertThat(tally.record("e", true)).isEqualTo(Result.WON);
  }

  @Test
  void losesOnceAMajorityCanNoLongerBeReached() {
    VoteTally tally = new VoteTally(THREE);
    tally.record("a", true);

    assertThat(tally.record("b", false)).isEqualTo(Result.PENDING);
    assertThat(tally.record("c", false)).isEqualTo(Result.LOST);
  }

  @Test
  void losesAnEvenSplit() {
    VoteTally tally = new VoteTally(FOUR);
    tally.record("a", true);
    tally.record("b", true);
    tally.record("c", false);

    assertThat(tally.result()).isEqualTo(Result.PENDING);
    assertThat(tally.record("d", false)).isEqualTo(Result.LOST);
  }

  @Test
  void staysPendingWhileTheOutcomeIsOpen() {
    VoteTally tally = new VoteTally(FIVE);
    tally.record("a", true);
    tally.record("b", false);
    tally.record("c", true);

    assertThat(tally.record("d", false)).isEqualTo(Result.PENDING);
  }

  // A retransmitted grant is still one vote (§5.2: one vote per voter per term)
  @Test
  void countsARepeatedGrantOnce() {
    VoteTally tally = new VoteTally(FIVE);
    tally.record("a", true);
    tally.record("b", true);

    assertThat(tally.record("b", true)).isEqualTo(Result.PENDING);
    assertThat(tally.record("b", true)).isEqualTo(Result.PENDING);
  }

  @Test
  void countsARepeatedRefusalOnce() {
    VoteTally tally = new VoteTally(THREE);
    tally.record("b", false);

    assertThat(tally.record("b", false)).isEqualTo(Result.PENDING);
  }

  @Test
  void keepsAVotersFirstAnswer() {
    VoteTally tally = new VoteTally(THREE);
    tally.record("a", true);
    tally.record("b", false);

    assertThat(tally.record("b", true)).isEqualTo(Result.PENDING);
    assertThat(tally.record("c", false)).isEqualTo(Result.LOST);
  }

  @Test
  void ignoresAnswersFromNonVoters() {
    VoteTally tally = new VoteTally(THREE);
    tally.record("a", true);

    assertThat(tally.record("x", true)).isEqualTo(Result.PENDING);
    assertThat(tally.record("y", false)).isEqualTo(Result.PENDING);
    assertThat(tally.record("z", false)).isEqualTo(Result.PENDING);
  }

  @Test
  void keepsItsOwnCopyOfTheVoters() {
    Set<String> voters = new HashSet<>(THREE);
    VoteTally tally = new VoteTally(voters);
    voters.add("d");
    voters.add("e");

    tally.record("a", true);

    assertThat(tally.record("b", true)).isEqualTo(Result.WON);
  }

  @Test
  void staysDecidedOnceWon() {
    VoteTally tally = new VoteTally(THREE);
    tally.record("a", true);
    tally.record("b", true);

    assertThat(tally.record("c", false)).isEqualTo(Result.WON);
  }
}
