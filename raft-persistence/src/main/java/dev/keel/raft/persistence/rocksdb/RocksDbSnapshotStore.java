package dev.keel.raft.persistence.rocksdb;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.dispatch.MessageDispatcher;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.serialization.Snapshot;
import org.apache.pekko.persistence.snapshot.japi.SnapshotStore;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.Future;
import scala.util.Try;

/**
 * Keel's durable snapshot store: a Pekko Persistence snapshot-store plugin keeping snapshots in
 * RocksDB (its own instance and directory), with synced writes and per-record checksums.
 *
 * <p>Configure it under any plugin id with {@code class =
 * "dev.keel.raft.persistence.rocksdb.RocksDbSnapshotStore"} and a {@code dir}; defaults are in
 * {@code keel.persistence.snapshot-store.rocksdb}. Snapshots are keyed by (persistence id, sequence
 * number, timestamp) and serialized with Pekko's snapshot serializer; all I/O runs on the {@code
 * io-dispatcher}. Snapshot metadata's optional {@code metadata} field is not stored.
 *
 * <p><b>A corrupt snapshot fails the load</b> with a {@link CorruptRecordException} naming the
 * directory, persistence id and sequence number; the store does not fall back to an older snapshot.
 * Falling back is unsafe when the journal's events up to the corrupt snapshot were already deleted
 * (retention with {@code withDeleteEventsOnSnapshot}): recovery would silently miss them. Deleting
 * the corrupt snapshot is an operator's decision.
 */
public final class RocksDbSnapshotStore extends SnapshotStore {

  private static final Logger LOG = LoggerFactory.getLogger(RocksDbSnapshotStore.class);
  private static final int SNAPSHOTS = 1;
  private static final int KEY_SUFFIX = 2 * Long.BYTES;

  private final String configPath;
  private final Path directory;
  private final Serialization serialization;
  private final MessageDispatcher ioDispatcher;
  private final PluginSupport.Opened opened;

  /**
   * Creates the plugin; Pekko calls this with the plugin's configuration section.
   *
   * @param config the plugin's configuration (with Pekko's snapshot-store fallback settings)
   * @param configPath the plugin id, e.g. {@code keel.persistence.snapshot-store.rocksdb}
   */
  public RocksDbSnapshotStore(Config config, String configPath) {
    this.configPath = configPath;
    this.directory = PluginSupport.directory(config, configPath);
    this.ioDispatcher =
        context()
            .system()
            .dispatchers()
            .lookup(PluginSupport.string(config, configPath, "io-dispatcher"));
    this.serialization = SerializationExtension.get(context().system());
    this.opened = PluginSupport.open(directory, RocksDbStore.Kind.SNAPSHOTS, configPath, LOG);
  }

  /**
   * The newest snapshot matching {@code criteria}; fails with a {@link CorruptRecordException} if
   * that snapshot is damaged (no fallback to an older one).
   */
  @Override
  public Future<Optional<SelectedSnapshot>> doLoadAsync(
      String persistenceId, SnapshotSelectionCriteria criteria) {
    return onIoDispatcher(() -> load(persistenceId, criteria));
  }

  /** Stores the snapshot with a synced write. */
  @Override
  public Future<Void> doSaveAsync(SnapshotMetadata metadata, Object snapshot) {
    return onIoDispatcher(
        () -> {
          byte[] key =
              KeyCodec.snapshotKey(
                  metadata.persistenceId(), metadata.sequenceNr(), metadata.timestamp());
          byte[] value = RecordFormat.encode(key, serialize(metadata, snapshot));
          write(batch -> batch.put(snapshots(), key, value));
          return null;
        });
  }

  /**
   * Deletes the snapshot with this sequence number and timestamp, or every snapshot with this
   * sequence number if the timestamp is 0.
   */
  @Override
  public Future<Void> doDeleteAsync(SnapshotMetadata metadata) {
    return onIoDispatcher(
        () -> {
          String id = metadata.persistenceId();
          long sequenceNr = metadata.sequenceNr();
          if (metadata.timestamp() == 0) {
            // Timestamp 0 means every snapshot with this sequence number.
            byte[] from = KeyCodec.snapshotKey(id, sequenceNr, 0);
            byte[] to = KeyCodec.successor(KeyCodec.snapshotKey(id, sequenceNr, Long.MAX_VALUE));
            write(batch -> batch.deleteRange(snapshots(), from, to));
          } else {
            byte[] key = KeyCodec.snapshotKey(id, sequenceNr, metadata.timestamp());
            write(batch -> batch.delete(snapshots(), key));
          }
          return null;
        });
  }

  /** Deletes every snapshot of {@code persistenceId} matching {@code criteria}, in one batch. */
  @Override
  public Future<Void> doDeleteAsync(String persistenceId, SnapshotSelectionCriteria criteria) {
    return onIoDispatcher(
        () -> {
          List<byte[]> keys = matchingKeys(persistenceId, criteria);
          if (!keys.isEmpty()) {
            write(
                batch -> {
                  for (byte[] key : keys) {
                    batch.delete(snapshots(), key);
                  }
                });
          }
          return null;
        });
  }

  /** Closes RocksDB after running operations finish. */
  @Override
  public void postStop() throws Exception {
    try {
      RocksDbStore store = opened.store();
      if (store != null) {
        store.close();
        LOG.info("Snapshot store [{}] closed {}", configPath, directory);
      }
    } finally {
      super.postStop();
    }
  }

  private <T> Future<T> onIoDispatcher(Callable<T> work) {
    return Futures.future(work, ioDispatcher);
  }

  private ColumnFamilyHandle snapshots() {
    return opened.require().columnFamily(SNAPSHOTS);
  }

  @FunctionalInterface
  private interface BatchOperations {
    void addTo(WriteBatch batch) throws RocksDBException;
  }

  /** Builds and writes the batch while the store is open (a save may race the plugin's stop). */
  private void write(BatchOperations operations) {
    RocksDbStore store = opened.require();
    store.whileOpen(
        () -> {
          try (WriteBatch batch = new WriteBatch()) {
            operations.addTo(batch);
            store.write(batch);
          } catch (RocksDBException e) {
            throw new RocksDbStorageException(directory, "Cannot build the snapshot write", e);
          }
        });
  }

  /** The newest snapshot matching {@code criteria}, verified, or empty if none matches. */
  private Optional<SelectedSnapshot> load(
      String persistenceId, SnapshotSelectionCriteria criteria) {
    if (criteria.maxSequenceNr() < criteria.minSequenceNr()
        || criteria.maxTimestamp() < criteria.minTimestamp()) {
      return Optional.empty();
    }
    RocksDbStore store = opened.require();
    byte[] prefix = KeyCodec.prefix(persistenceId);
    return store.read(
        db -> {
          try (ReadOptions options = new ReadOptions().setVerifyChecksums(true);
              RocksIterator iterator = db.newIterator(snapshots(), options)) {
            iterator.seekForPrev(
                KeyCodec.snapshotKey(persistenceId, criteria.maxSequenceNr(), Long.MAX_VALUE));
            for (; iterator.isValid(); iterator.prev()) {
              byte[] key = iterator.key();
              if (!KeyCodec.belongsTo(key, prefix, KEY_SUFFIX)
                  || KeyCodec.snapshotSequenceNr(key) < criteria.minSequenceNr()) {
                break;
              }
              long timestamp = KeyCodec.snapshotTimestamp(key);
              if (timestamp >= criteria.minTimestamp() && timestamp <= criteria.maxTimestamp()) {
                return Optional.of(decode(persistenceId, key, iterator.value()));
              }
            }
            iterator.status();
            return Optional.<SelectedSnapshot>empty();
          }
        });
  }

  private List<byte[]> matchingKeys(String persistenceId, SnapshotSelectionCriteria criteria) {
    RocksDbStore store = opened.require();
    byte[] prefix = KeyCodec.prefix(persistenceId);
    return store.read(
        db -> {
          List<byte[]> keys = new ArrayList<>();
          try (RocksIterator iterator = db.newIterator(snapshots())) {
            iterator.seek(KeyCodec.snapshotKey(persistenceId, criteria.minSequenceNr(), 0));
            for (; iterator.isValid(); iterator.next()) {
              byte[] key = iterator.key();
              if (!KeyCodec.belongsTo(key, prefix, KEY_SUFFIX)
                  || KeyCodec.snapshotSequenceNr(key) > criteria.maxSequenceNr()) {
                break;
              }
              long timestamp = KeyCodec.snapshotTimestamp(key);
              if (timestamp >= criteria.minTimestamp() && timestamp <= criteria.maxTimestamp()) {
                keys.add(key);
              }
            }
            iterator.status();
          }
          return keys;
        });
  }

  private byte[] serialize(SnapshotMetadata metadata, Object snapshot) {
    Try<byte[]> serialized = serialization.serialize(new Snapshot(snapshot));
    if (serialized.isFailure()) {
      Throwable cause = serialized.failed().get();
      throw new IllegalArgumentException(
          "Cannot serialize the snapshot of persistenceId ["
              + metadata.persistenceId()
              + "] at sequenceNr "
              + metadata.sequenceNr()
              + " ("
              + snapshot.getClass().getName()
              + "): "
              + cause,
          cause);
    }
    return serialized.get();
  }

  private SelectedSnapshot decode(String persistenceId, byte[] key, byte[] value) {
    long sequenceNr = KeyCodec.snapshotSequenceNr(key);
    byte[] payload;
    try {
      payload = RecordFormat.decode(key, value);
    } catch (RecordFormat.InvalidRecord e) {
      throw new CorruptRecordException(
          directory, persistenceId, sequenceNr, "snapshot: " + e.problem());
    }
    Snapshot snapshot =
        PluginSupport.deserialize(
            serialization,
            payload,
            Snapshot.class,
            directory,
            "snapshot",
            persistenceId,
            sequenceNr);
    SnapshotMetadata metadata =
        new SnapshotMetadata(persistenceId, sequenceNr, KeyCodec.snapshotTimestamp(key));
    return new SelectedSnapshot(metadata, snapshot.data());
  }
}
