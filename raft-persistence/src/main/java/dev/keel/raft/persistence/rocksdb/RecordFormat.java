package dev.keel.raft.persistence.rocksdb;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The framing of every stored value: {@code [u8 version][int32 payload length][int32 CRC32C]
 * [payload]}. The CRC32C covers the record's key, the version, the length and the payload, so a
 * flipped bit, a truncated value, or a value stored under the wrong key is detected.
 */
final class RecordFormat {

  /** The current (and only) format version. */
  static final byte VERSION = 1;

  /** Bytes before the payload. */
  static final int HEADER_BYTES = 1 + Integer.BYTES + Integer.BYTES;

  private RecordFormat() {}

  /** Frames {@code payload} for storage under {@code key}. */
  static byte[] encode(byte[] key, byte[] payload) {
    int crc = checksum(key, VERSION, payload.length, payload);
    return ByteBuffer.allocate(HEADER_BYTES + payload.length)
        .put(VERSION)
        .putInt(payload.length)
        .putInt(crc)
        .put(payload)
        .array();
  }

  /**
   * Verifies a stored value and returns its payload.
   *
   * @throws InvalidRecord with a description of the problem if the value fails any check
   */
  static byte[] decode(byte[] key, byte[] value) throws InvalidRecord {
    if (value.length < HEADER_BYTES) {
      throw new InvalidRecord(
          "value has "
              + value.length
              + " bytes, shorter than the "
              + HEADER_BYTES
              + "-byte header");
    }
    ByteBuffer buffer = ByteBuffer.wrap(value);
    byte version = buffer.get();
    if (version != VERSION) {
      throw new InvalidRecord(
          "unsupported record format version " + version + " (this Keel reads " + VERSION + ")");
    }
    int length = buffer.getInt();
    int storedCrc = buffer.getInt();
    if (length != value.length - HEADER_BYTES) {
      throw new InvalidRecord(
          "header says "
              + length
              + " payload bytes but "
              + (value.length - HEADER_BYTES)
              + " follow");
    }
    byte[] payload = new byte[length];
    buffer.get(payload);
    int computed = checksum(key, version, length, payload);
    if (computed != storedCrc) {
      throw new InvalidRecord(
          String.format(
              "checksum mismatch (stored CRC32C %08x, computed %08x)", storedCrc, computed));
    }
    return payload;
  }

  private static int checksum(byte[] key, byte version, int length, byte[] payload) {
    CRC32C crc = new CRC32C();
    crc.update(key);
    crc.update(ByteBuffer.allocate(1 + Integer.BYTES).put(version).putInt(length).flip());
    crc.update(payload);
    return (int) crc.getValue();
  }

  /** A stored value failed verification; the message says how. */
  static final class InvalidRecord extends Exception {
    private static final long serialVersionUID = 1L;

    private final String problem;

    InvalidRecord(String problem) {
      super(problem);
      this.problem = problem;
    }

    /** What the check found. */
    String problem() {
      return problem;
    }
  }
}
