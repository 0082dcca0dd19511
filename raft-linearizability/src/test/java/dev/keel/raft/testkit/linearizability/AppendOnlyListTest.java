package dev.keel.raft.testkit.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppendOnlyListTest {

  private static AppendOnlyList<Integer> of(int... values) {
    AppendOnlyList<Integer> list = AppendOnlyList.empty();
    for (int value : values) {
      list = list.append(value);
    }
    return list;
  }

  @Test
  void appendingLeavesTheOriginalUnchanged() {
    AppendOnlyList<Integer> prefix = of(1, 2);
    AppendOnlyList<Integer> longer = prefix.append(3);

    assertThat(prefix.toList()).containsExactly(1, 2);
    assertThat(longer.toList()).containsExactly(1, 2, 3);
    assertThat(longer.size()).isEqualTo(3);
    assertThat(longer).hasToString("[1, 2, 3]");
  }

  @Test
  void equalsAndHashCodeFollowTheElementsLikeAList() {
    assertThat(of(1, 2, 3)).isEqualTo(of(1, 2).append(3)).hasSameHashCodeAs(List.of(1, 2, 3));
    assertThat(AppendOnlyList.<Integer>empty()).hasSameHashCodeAs(List.of());
    assertThat(of(1, 2)).isNotEqualTo(of(2, 1)).isNotEqualTo(of(1, 2, 3));
  }

  @Test
  void listsWithTheSameHashButOtherElementsDiffer() {
    // 31 * (31 + 0) + 31 == 31 * (31 + 1) + 0
    assertThat(of(0, 31)).hasSameHashCodeAs(of(1, 0)).isNotEqualTo(of(1, 0));
  }

  @Test
  @SuppressWarnings("JdkObsolete") // A list without random access, on purpose.
  void contentEqualsComparesWithAnyList() {
    assertThat(of(1, 2).contentEquals(List.of(1, 2))).isTrue();
    assertThat(of(1, 2).contentEquals(new LinkedList<>(List.of(1, 2)))).isTrue();
    assertThat(of(1, 2).contentEquals(List.of(2, 1))).isFalse();
    assertThat(of(1, 2).contentEquals(List.of(1))).isFalse();
    assertThat(AppendOnlyList.empty().contentEquals(List.of())).isTrue();
  }
}
