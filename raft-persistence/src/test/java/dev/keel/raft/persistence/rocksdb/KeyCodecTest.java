package dev.keel.raft.persistence.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The key layout orders by (persistence id, sequence number) under bytewise comparison. */
class KeyCodecTest {

  private static int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }

  @Test
  void sequenceNumbersOfOneIdSortNumerically() {
    long[] numbers = {0, 1, 2, 255, 256, 65_536, 1L << 40, Long.MAX_VALUE - 1, Long.MAX_VALUE};
    for (int i = 1; i < numbers.length; i++) {
      assertThat(
              compare(
                  KeyCodec.journalKey("p", numbers[i - 1]), KeyCodec.journalKey("p", numbers[i])))
          .isNegative();
    }
  }

  @Test
  void oneIdsKeysAreContiguousAndBoundedBySuccessor() {
    Random random = new Random(42);
    String[] ids = {"p", "p1", "p10", "pp", "a", "z", "", "é", "p\u0000"};
    List<byte[]> keys = new ArrayList<>();
    for (String id : ids) {
      for (int i = 0; i < 20; i++) {
        keys.add(KeyCodec.journalKey(id, random.nextLong() & Long.MAX_VALUE));
      }
    }
    keys.sort(KeyCodecTest::compare);
    for (String id : ids) {
      byte[] prefix = KeyCodec.prefix(id);
      byte[] start = KeyCodec.journalKey(id, 0);
      byte[] end = KeyCodec.successor(KeyCodec.journalKey(id, Long.MAX_VALUE));
      for (byte[] key : keys) {
        boolean inRange = compare(key, start) >= 0 && compare(key, end) < 0;
        assertThat(inRange).isEqualTo(KeyCodec.belongsTo(key, prefix, Long.BYTES));
      }
    }
  }

  @Test
  void successorEndsARangeRightAfterItsKey() {
    byte[] key = KeyCodec.journalKey("p", 5);
    byte[] end = KeyCodec.successor(key);
    assertThat(compare(key, end)).isNegative();
    assertThat(compare(end, KeyCodec.journalKey("p", 6))).isNegative();
  }

  @Test
  void snapshotKeysOrderBySequenceNrThenTimestamp() {
    byte[] a = KeyCodec.snapshotKey("p", 1, 900);
    byte[] b = KeyCodec.snapshotKey("p", 2, 100);
    byte[] c = KeyCodec.snapshotKey("p", 2, 200);
    assertThat(compare(a, b)).isNegative();
    assertThat(compare(b, c)).isNegative();
    assertThat(KeyCodec.snapshotSequenceNr(c)).isEqualTo(2);
    assertThat(KeyCodec.snapshotTimestamp(c)).isEqualTo(200);
  }
}
