package dev.keel.raft.persistence.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Framing and verification of stored values. */
class RecordFormatTest {

  private static final byte[] KEY = KeyCodec.journalKey("p", 7);
  private static final byte[] PAYLOAD = "payload".getBytes(StandardCharsets.UTF_8);

  @Test
  void roundTripsThePayload() throws Exception {
    byte[] value = RecordFormat.encode(KEY, PAYLOAD);
    assertThat(value).hasSize(RecordFormat.HEADER_BYTES + PAYLOAD.length);
    assertThat(value[0]).isEqualTo(RecordFormat.VERSION);
    assertThat(RecordFormat.decode(KEY, value)).isEqualTo(PAYLOAD);
    assertThat(RecordFormat.decode(KEY, RecordFormat.encode(KEY, new byte[0]))).isEmpty();
  }

  @Test
  void everySingleBitFlipIsDetected() {
    byte[] value = RecordFormat.encode(KEY, PAYLOAD);
    for (int bit = 0; bit < value.length * 8; bit++) {
      byte[] damaged = value.clone();
      damaged[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThatThrownBy(() -> RecordFormat.decode(KEY, damaged))
          .isInstanceOf(RecordFormat.InvalidRecord.class);
    }
  }

  @Test
  void truncationAndShortValuesAreDetected() {
    byte[] value = RecordFormat.encode(KEY, PAYLOAD);
    assertThatThrownBy(() -> RecordFormat.decode(KEY, Arrays.copyOf(value, value.length - 1)))
        .hasMessageContaining("payload bytes");
    assertThatThrownBy(() -> RecordFormat.decode(KEY, new byte[3]))
        .hasMessageContaining("shorter than");
  }

  @Test
  void aValueUnderAnotherKeyFailsItsChecksum() {
    byte[] value = RecordFormat.encode(KEY, PAYLOAD);
    assertThatThrownBy(() -> RecordFormat.decode(KeyCodec.journalKey("p", 8), value))
        .hasMessageContaining("checksum mismatch");
  }
}
