package dev.keel.raft.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuorumTest {

  @ParameterizedTest(name = "{0} voters -> {1}")
  @CsvSource({"1, 1", "2, 2", "3, 2", "4, 3", "5, 3", "6, 4", "7, 4"})
  void majorityIsMoreThanHalfTheVoters(int voters, int majority) {
    assertThat(Quorum.majority(voters)).isEqualTo(majority);
  }

  @Test
  void refusesAnEmptyVoterSet() {
    assertThatThrownBy(() -> Quorum.majority(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Quorum.majority(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Quorum.majorityValue(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void majorityValueOfOneVoterIsItsValue() {
    assertThat(Quorum.majorityValue(List.of(7L))).isEqualTo(7);
  }

  @Test
  void majorityValueOfThreeVotersIsTheMedian() {
    assertThat(Quorum.majorityValue(List.of(9L, 3L, 5L))).isEqualTo(5);
    assertThat(Quorum.majorityValue(List.of(5L, 5L, 1L))).isEqualTo(5);
  }

  @Test
  void majorityValueOfAnEvenSetNeedsMoreThanHalf() {
    // Three of four voters have reached 2; only two have reached 3.
    assertThat(Quorum.majorityValue(List.of(4L, 1L, 3L, 2L))).isEqualTo(2);
    assertThat(Quorum.majorityValue(List.of(0L, 8L))).isZero();
  }

  @Test
  void majorityValueIgnoresTheOrderAndKindOfCollection() {
    assertThat(Quorum.majorityValue(Set.of(10L, 20L, 30L, 40L, 50L))).isEqualTo(30);
    assertThat(Quorum.majorityValue(List.of(50L, 10L, 40L, 20L, 30L))).isEqualTo(30);
  }

  // Reference in the style of etcd's quorum/quick_test.go: the largest value v such that a
  // majority of voters reached at least v.
  @Test
  void majorityValueIsTheHighestValueAMajorityReached() {
    Seeded.forEachSeed(
        random -> {
          long[] values = Seeded.values(random, 1 + random.nextInt(9), 20);
          List<Long> boxed = LongStream.of(values).boxed().toList();
          long expected = 0;
          for (long v = 0; v <= 20; v++) {
            long reached = v;
            if (LongStream.of(values).filter(x -> x >= reached).count()
                >= Quorum.majority(values.length)) {
              expected = v;
            }
          }

          assertThat(Quorum.majorityValue(boxed)).as("%s", boxed).isEqualTo(expected);
        });
  }

  // Two majorities of the same voter set always share a voter (§5.2, §5.4).
  @Test
  void twoMajoritiesAlwaysOverlap() {
    for (int voters = 1; voters <= 101; voters++) {
      assertThat(2 * Quorum.majority(voters)).isGreaterThan(voters);
      assertThat(2 * (Quorum.majority(voters) - 1)).isLessThanOrEqualTo(voters);
    }
  }
}
