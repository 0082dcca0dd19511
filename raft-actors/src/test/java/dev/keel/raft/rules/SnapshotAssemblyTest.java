package dev.keel.raft.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A follower's reassembly of snapshot chunks (§7), one transfer at a time. */
class SnapshotAssemblyTest {

  private static final SnapshotAssembly.Transfer FROM_N2 =
      new SnapshotAssembly.Transfer("n2", 3, 40, 2);

  @Test
  void assemblesChunksInOrder() {
    SnapshotAssembly assembly = new SnapshotAssembly();
    assertThat(assembly.offer(FROM_N2, 0, new byte[] {1, 2})).isEqualTo(2);
    assertThat(assembly.offer(FROM_N2, 2, new byte[] {3})).isEqualTo(3);
    assertThat(assembly.offer(FROM_N2, 3, new byte[] {4, 5, 6, 7})).isEqualTo(7);
    assertThat(assembly.complete()).containsExactly(1, 2, 3, 4, 5, 6, 7);
  }

  @Test
  void refusesChunksAtAnotherOffsetNamingTheOneWanted() {
    SnapshotAssembly assembly = new SnapshotAssembly();
    assembly.offer(FROM_N2, 0, new byte[] {1, 2});
    assertThat(assembly.offer(FROM_N2, 5, new byte[] {9})).as("a gap").isEqualTo(2);
    assertThat(assembly.offer(FROM_N2, 1, new byte[] {9})).as("an overlap").isEqualTo(2);
    assertThat(assembly.offer(FROM_N2, 2, new byte[] {3})).isEqualTo(3);
    assertThat(assembly.complete()).containsExactly(1, 2, 3);
  }

  @Test
  void aFirstChunkOfTheSameTransferStartsOverAndAnEmptyChunkAddsNothing() {
    SnapshotAssembly assembly = new SnapshotAssembly();
    assembly.offer(FROM_N2, 0, new byte[] {1, 2});
    assertThat(assembly.offer(FROM_N2, 0, new byte[] {1, 2})).as("a duplicate").isEqualTo(2);
    assertThat(assembly.offer(FROM_N2, 2, new byte[0])).isEqualTo(2);
  }

  @Test
  void chunksOfAnotherTransferAreNeverStitchedOn() {
    SnapshotAssembly assembly = new SnapshotAssembly();
    assembly.offer(FROM_N2, 0, new byte[] {1, 2, 3});
    for (SnapshotAssembly.Transfer other :
        new SnapshotAssembly.Transfer[] {
          new SnapshotAssembly.Transfer("n3", 3, 40, 2),
          new SnapshotAssembly.Transfer("n2", 4, 40, 2),
          new SnapshotAssembly.Transfer("n2", 3, 41, 2),
          new SnapshotAssembly.Transfer("n2", 3, 40, 3)
        }) {
      assertThat(assembly.offer(other, 3, new byte[] {9})).as("%s mid-way", other).isZero();
    }
    SnapshotAssembly.Transfer newLeader = new SnapshotAssembly.Transfer("n3", 4, 40, 2);
    assertThat(assembly.offer(newLeader, 0, new byte[] {7})).as("starts over").isEqualTo(1);
    assertThat(assembly.offer(FROM_N2, 3, new byte[] {4})).as("the old one is gone").isZero();
    assertThat(assembly.complete()).containsExactly(7);
  }

  @Test
  void growsItsBufferForLargeSnapshots() {
    SnapshotAssembly assembly = new SnapshotAssembly();
    byte[] chunk = new byte[1000];
    long offset = 0;
    for (int i = 0; i < 50; i++) {
      chunk[0] = (byte) i;
      offset = assembly.offer(FROM_N2, offset, chunk.clone());
    }
    byte[] whole = assembly.complete();
    assertThat(whole).hasSize(50_000);
    assertThat(whole[49_000]).isEqualTo((byte) 49);
    assertThat(assembly.complete()).as("cleared once taken").isEmpty();
  }

  @Test
  void aTransferNamesItsSender() {
    assertThatThrownBy(() -> new SnapshotAssembly.Transfer(null, 1, 1, 1))
        .isInstanceOf(NullPointerException.class);
  }
}
