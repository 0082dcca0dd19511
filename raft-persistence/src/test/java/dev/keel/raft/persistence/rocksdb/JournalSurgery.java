package dev.keel.raft.persistence.rocksdb;

import java.nio.file.Path;
import org.rocksdb.WriteBatch;

/**
 * Damages records of a closed RocksDB journal, for corruption tests in other packages: the store
 * itself stays a valid RocksDB store, only a record's bytes change, as after bit rot.
 */
public final class JournalSurgery {

  private JournalSurgery() {}

  /**
   * Flips bits in the last byte of event {@code sequenceNr} of {@code persistenceId}.
   *
   * @param journalDir the directory of a journal no plugin has open
   * @param persistenceId the event's persistence id
   * @param sequenceNr the event's sequence number; it must exist
   */
  public static void flipLastByte(Path journalDir, String persistenceId, long sequenceNr)
      throws Exception {
    try (RocksDbStore store = RocksDbStore.open(journalDir, RocksDbStore.Kind.JOURNAL);
        WriteBatch batch = new WriteBatch()) {
      byte[] key = KeyCodec.journalKey(persistenceId, sequenceNr);
      byte[] value = store.read(db -> db.get(store.columnFamily(1), key));
      if (value == null) {
        throw new IllegalArgumentException(
            "no event " + sequenceNr + " of " + persistenceId + " in " + journalDir);
      }
      byte[] changed = value.clone();
      changed[changed.length - 1] ^= 0x5A;
      batch.put(store.columnFamily(1), key, changed);
      store.write(batch);
    }
  }

  /**
   * Deletes events {@code from..to} of {@code persistenceId}, as a journal that deletes piecemeal
   * and crashed part-way through would leave them.
   *
   * @param journalDir the directory of a journal no plugin has open
   * @param persistenceId whose events
   * @param from the first sequence number deleted
   * @param to the last sequence number deleted
   */
  public static void deleteEvents(Path journalDir, String persistenceId, long from, long to)
      throws Exception {
    try (RocksDbStore store = RocksDbStore.open(journalDir, RocksDbStore.Kind.JOURNAL);
        WriteBatch batch = new WriteBatch()) {
      batch.deleteRange(
          store.columnFamily(1),
          KeyCodec.journalKey(persistenceId, from),
          KeyCodec.successor(KeyCodec.journalKey(persistenceId, to)));
      store.write(batch);
    }
  }
}
