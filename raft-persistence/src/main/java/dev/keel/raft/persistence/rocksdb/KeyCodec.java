package dev.keel.raft.persistence.rocksdb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Key layout of the stores. RocksDB's default comparator orders keys bytewise (unsigned), so
 * big-endian non-negative numbers sort numerically and a length-prefixed persistence id keeps one
 * id's keys contiguous: no other id's key can start with the same prefix.
 *
 * <ul>
 *   <li>persistence id prefix: {@code [int32 UTF-8 length][UTF-8 bytes]}
 *   <li>journal event: {@code prefix + [int64 sequenceNr]}
 *   <li>highest sequence number marker: {@code prefix} (in its own column family)
 *   <li>snapshot: {@code prefix + [int64 sequenceNr][int64 timestamp]}
 * </ul>
 */
final class KeyCodec {

  private static final int LONG_BYTES = Long.BYTES;

  private KeyCodec() {}

  /** The prefix every key of {@code persistenceId} starts with. */
  static byte[] prefix(String persistenceId) {
    byte[] id = persistenceId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(Integer.BYTES + id.length).putInt(id.length).put(id).array();
  }

  /** The key of the event {@code sequenceNr} of {@code persistenceId}. */
  static byte[] journalKey(String persistenceId, long sequenceNr) {
    return journalKey(prefix(persistenceId), sequenceNr);
  }

  /** The key of the event {@code sequenceNr} under an already encoded {@code prefix}. */
  static byte[] journalKey(byte[] prefix, long sequenceNr) {
    return ByteBuffer.allocate(prefix.length + LONG_BYTES).put(prefix).putLong(sequenceNr).array();
  }

  /** The key of a snapshot. */
  static byte[] snapshotKey(String persistenceId, long sequenceNr, long timestamp) {
    byte[] prefix = prefix(persistenceId);
    return ByteBuffer.allocate(prefix.length + 2 * LONG_BYTES)
        .put(prefix)
        .putLong(sequenceNr)
        .putLong(timestamp)
        .array();
  }

  /**
   * The smallest key strictly greater than {@code key}: an exclusive range end that includes {@code
   * key} and every key before it.
   */
  static byte[] successor(byte[] key) {
    return Arrays.copyOf(key, key.length + 1);
  }

  /** Whether {@code key} starts with {@code prefix} and has {@code suffixLength} bytes after it. */
  static boolean belongsTo(byte[] key, byte[] prefix, int suffixLength) {
    return key.length == prefix.length + suffixLength
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** The {@code int64} at {@code offset} bytes from the end of {@code key}. */
  static long longFromEnd(byte[] key, int offset) {
    return ByteBuffer.wrap(key, key.length - offset, LONG_BYTES).getLong();
  }

  /** The sequence number of a journal key. */
  static long journalSequenceNr(byte[] key) {
    return longFromEnd(key, LONG_BYTES);
  }

  /** The sequence number of a snapshot key. */
  static long snapshotSequenceNr(byte[] key) {
    return longFromEnd(key, 2 * LONG_BYTES);
  }

  /** The timestamp of a snapshot key. */
  static long snapshotTimestamp(byte[] key) {
    return longFromEnd(key, LONG_BYTES);
  }

  /** Encodes a non-negative number as the value of a highest-sequence-number marker. */
  static byte[] encodeLong(long value) {
    return ByteBuffer.allocate(LONG_BYTES).putLong(value).array();
  }

  /** Decodes {@link #encodeLong}. */
  static long decodeLong(byte[] value) {
    return ByteBuffer.wrap(value).getLong();
  }
}
