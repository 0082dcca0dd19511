package dev.keel.raft.persistence.rocksdb;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.RocksIterator;

/**
 * Lists what closed RocksDB plugin stores hold, for tests in other packages that check what was
 * written or deleted (for example journal compaction).
 */
public final class StoreContents {

  private StoreContents() {}

  /**
   * The sequence numbers of the events of {@code persistenceId} in a journal, ascending.
   *
   * @param journalDir the directory of a journal no plugin has open
   * @param persistenceId whose events
   * @return the stored sequence numbers
   */
  public static List<Long> eventSequenceNrs(Path journalDir, String persistenceId) {
    return sequenceNrs(journalDir, RocksDbStore.Kind.JOURNAL, KeyCodec.prefix(persistenceId), true);
  }

  /**
   * The sequence numbers of the snapshots of {@code persistenceId} in a snapshot store, ascending.
   *
   * @param snapshotDir the directory of a snapshot store no plugin has open
   * @param persistenceId whose snapshots
   * @return the stored snapshots' sequence numbers
   */
  public static List<Long> snapshotSequenceNrs(Path snapshotDir, String persistenceId) {
    return sequenceNrs(
        snapshotDir, RocksDbStore.Kind.SNAPSHOTS, KeyCodec.prefix(persistenceId), false);
  }

  private static List<Long> sequenceNrs(
      Path dir, RocksDbStore.Kind kind, byte[] prefix, boolean journal) {
    List<Long> found = new ArrayList<>();
    try (RocksDbStore store = RocksDbStore.open(dir, kind)) {
      store.read(
          db -> {
            try (RocksIterator iterator = db.newIterator(store.columnFamily(1))) {
              for (iterator.seek(prefix); iterator.isValid(); iterator.next()) {
                byte[] key = iterator.key();
                int suffix = journal ? Long.BYTES : 2 * Long.BYTES;
                if (!KeyCodec.belongsTo(key, prefix, suffix)) {
                  break;
                }
                found.add(
                    journal ? KeyCodec.journalSequenceNr(key) : KeyCodec.snapshotSequenceNr(key));
              }
            }
            return null;
          });
    }
    return found;
  }
}
