package dev.keel.raft.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A replicator's pending read rounds (thesis §6.4), and their bound. */
class ReadRoundsTest {

  @Test
  void anAnswerConfirmsTheRoundsItsRequestCarried() {
    ReadRounds rounds = new ReadRounds(8);
    rounds.started(1, 10);
    rounds.started(2, 12);
    assertThat(rounds.answered(9)).as("sent before round 1").isZero();
    assertThat(rounds.answered(11)).isEqualTo(1);
    assertThat(rounds.size()).isEqualTo(1);
    assertThat(rounds.answered(12)).isEqualTo(2);
    assertThat(rounds.size()).isZero();
    assertThat(rounds.answered(20)).isZero();
  }

  @Test
  void aLaterAnswerConfirmsEveryEarlierRound() {
    ReadRounds rounds = new ReadRounds(8);
    rounds.started(1, 10);
    rounds.started(2, 11);
    rounds.started(3, 12);
    assertThat(rounds.answered(15)).isEqualTo(3);
    assertThat(rounds.size()).isZero();
  }

  @Test
  void roundsBeforeAnyRequestWentOutShareTheNextOne() {
    ReadRounds rounds = new ReadRounds(8);
    rounds.started(1, 10);
    rounds.started(2, 10);
    rounds.started(3, 10);
    assertThat(rounds.size()).isEqualTo(1);
    assertThat(rounds.answered(10)).isEqualTo(3);
  }

  @Test
  void forgetsTheOldestRoundBeyondItsCapacity() {
    ReadRounds rounds = new ReadRounds(2);
    for (long round = 1; round <= 1000; round++) {
      rounds.started(round, round * 2);
      assertThat(rounds.size()).isLessThanOrEqualTo(2);
    }
    assertThat(rounds.answered(2)).as("round 1 is forgotten").isZero();
    assertThat(rounds.answered(1998)).isEqualTo(999);
    assertThat(rounds.answered(2000)).isEqualTo(1000);
  }

  @Test
  void refusesAZeroCapacity() {
    assertThatThrownBy(() -> new ReadRounds(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
