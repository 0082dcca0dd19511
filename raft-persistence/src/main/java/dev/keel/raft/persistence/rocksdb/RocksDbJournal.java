package dev.keel.raft.persistence.rocksdb;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.dispatch.MessageDispatcher;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.Tagged;
import org.apache.pekko.persistence.journal.japi.AsyncWriteJournal;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;
import scala.util.Try;

/**
 * Keel's durable journal: a Pekko Persistence journal plugin storing events in RocksDB with synced
 * writes, group commit and per-record checksums.
 *
 * <p>Configure it under any plugin id with {@code class =
 * "dev.keel.raft.persistence.rocksdb.RocksDbJournal"} and a {@code dir}; the defaults are in {@code
 * keel.persistence.journal.rocksdb} ({@code reference.conf}). Each plugin id is one actor and one
 * RocksDB instance, so several plugin ids with different directories (for example one per Raft
 * peer, through {@link RocksDbPlugins#journalConfig}) work side by side in one system.
 *
 * <ul>
 *   <li><b>Writes</b> are serialized with Pekko serialization ({@code PersistentRepr} through
 *       Pekko's persistence message serializer) on the plugin actor, framed with a CRC32C (see
 *       {@code RecordFormat}) and handed to the store's single writer thread, which merges
 *       everything that arrives during a synced write into the next one (group commit). A write
 *       completes only after its batch was synced. Tags are not stored (no persistence query).
 *   <li><b>Replay</b> and the highest sequence number run on the {@code replay-dispatcher} after
 *       every earlier write is durable. A record that fails verification fails the replay with a
 *       {@link CorruptRecordException}; nothing is skipped.
 *   <li><b>Deletion</b> of a prefix is one {@code deleteRange}; the stored highest sequence number
 *       is kept, so it never decreases.
 * </ul>
 *
 * <p>If the store cannot be opened, the failure is logged and every request fails with it (the
 * persistent actor's recovery fails at once with an error naming the directory). The store is
 * closed when the actor stops, so the same directory can be reopened in the same JVM.
 */
public final class RocksDbJournal extends AsyncWriteJournal {

  private static final Logger LOG = LoggerFactory.getLogger(RocksDbJournal.class);
  private static final int EVENTS = 1;
  private static final int HIGHEST = 2;

  private final String configPath;
  private final Path directory;
  private final Duration stopTimeout;
  private final Serialization serialization;
  private final MessageDispatcher readDispatcher;
  private final PluginSupport.Opened opened;
  private final Optional<GroupCommitWriter> writer;

  /**
   * Creates the plugin; Pekko calls this with the plugin's configuration section.
   *
   * @param config the plugin's configuration (with Pekko's journal fallback settings)
   * @param configPath the plugin id, e.g. {@code keel.persistence.journal.rocksdb}
   */
  public RocksDbJournal(Config config, String configPath) {
    this.configPath = configPath;
    this.directory = PluginSupport.directory(config, configPath);
    long maxBatchBytes = PluginSupport.positiveBytes(config, configPath, "max-batch-bytes");
    this.stopTimeout = PluginSupport.positiveDuration(config, configPath, "stop-timeout");
    this.readDispatcher =
        context()
            .system()
            .dispatchers()
            .lookup(PluginSupport.string(config, configPath, "replay-dispatcher"));
    this.serialization = SerializationExtension.get(context().system());
    this.opened = PluginSupport.open(directory, RocksDbStore.Kind.JOURNAL, configPath, LOG);
    RocksDbStore store = opened.store();
    this.writer =
        store == null ? Optional.empty() : Optional.of(new GroupCommitWriter(store, maxBatchBytes));
    RocksDbStatistics.get(context().system())
        .register(
            configPath,
            writer.isPresent() ? writer.get()::statistics : () -> JournalStatistics.EMPTY);
  }

  /**
   * Serializes and frames every event, then queues all of them as one group-commit request; the
   * future completes once the batch carrying them was synced. An {@code AtomicWrite} whose events
   * cannot be serialized is rejected alone (its slot in the result holds the exception).
   */
  @Override
  public Future<Iterable<Optional<Exception>>> doAsyncWriteMessages(
      Iterable<AtomicWrite> messages) {
    List<Optional<Exception>> results = new ArrayList<>();
    List<EncodedWrite> encoded = new ArrayList<>();
    for (AtomicWrite write : messages) {
      try {
        encoded.add(encode(write));
        results.add(Optional.empty());
      } catch (RuntimeException e) {
        // Rejected alone (typically a serialization failure); the others are still written.
        results.add(Optional.of(e));
      }
    }
    if (encoded.isEmpty()) {
      return Futures.successful(results);
    }
    CompletableFuture<Iterable<Optional<Exception>>> written;
    try {
      written = writer().submit(writeRequest(encoded)).thenApply(done -> results);
    } catch (RocksDbStorageException e) {
      return Futures.failed(e);
    }
    return PluginSupport.toScala(written);
  }

  /**
   * Deletes the events up to {@code toSequenceNr} with one synced {@code deleteRange}, ordered
   * after every earlier write; the highest sequence number is kept.
   */
  @Override
  public Future<Void> doAsyncDeleteMessagesTo(String persistenceId, long toSequenceNr) {
    if (toSequenceNr < 1) {
      return Futures.successful(null);
    }
    byte[] prefix = KeyCodec.prefix(persistenceId);
    byte[] from = KeyCodec.journalKey(prefix, 0);
    byte[] toExclusive = KeyCodec.successor(KeyCodec.journalKey(prefix, toSequenceNr));
    try {
      RocksDbStore store = opened.require();
      ColumnFamilyHandle events = store.columnFamily(EVENTS);
      return PluginSupport.toScala(
          writer()
              .submit(
                  GroupCommitWriter.Request.deletion(
                      batch -> batch.deleteRange(events, from, toExclusive))));
    } catch (RocksDbStorageException e) {
      return Futures.failed(e);
    }
  }

  /**
   * Replays verified events in {@code [fromSequenceNr, toSequenceNr]}, at most {@code max}, on the
   * replay dispatcher; fails with a {@link CorruptRecordException} at the first damaged one.
   */
  @Override
  public Future<Void> doAsyncReplayMessages(
      String persistenceId,
      long fromSequenceNr,
      long toSequenceNr,
      long max,
      Consumer<PersistentRepr> replayCallback) {
    if (max <= 0 || toSequenceNr < fromSequenceNr) {
      return Futures.successful(null);
    }
    return afterEarlierWrites(
        store -> {
          replay(store, persistenceId, fromSequenceNr, toSequenceNr, max, replayCallback);
          return null;
        });
  }

  /**
   * The highest sequence number ever stored for {@code persistenceId} (kept through deletions),
   * read once every earlier write is durable; 0 if none.
   */
  @Override
  public Future<Long> doAsyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
    byte[] key = KeyCodec.prefix(persistenceId);
    return afterEarlierWrites(
        store -> {
          byte[] value = store.read(db -> db.get(store.columnFamily(HIGHEST), key));
          return value == null ? 0L : KeyCodec.decodeLong(value);
        });
  }

  /** Runs a read on the replay dispatcher once every write submitted before is durable. */
  private <T> Future<T> afterEarlierWrites(Function<RocksDbStore, T> read) {
    try {
      RocksDbStore store = opened.require();
      CompletionStage<T> result =
          writer().barrier().thenApplyAsync(durable -> read.apply(store), readDispatcher);
      return PluginSupport.toScala(result);
    } catch (RocksDbStorageException e) {
      return Futures.failed(e);
    }
  }

  /** Lets queued writes finish (up to {@code stop-timeout}) and closes RocksDB. */
  @Override
  public void postStop() throws Exception {
    try {
      if (writer.isPresent()) {
        GroupCommitWriter stopping = writer.get();
        if (!stopping.close(stopTimeout)) {
          LOG.warn(
              "Journal [{}] writer did not finish within {}; closing {} after its last write",
              configPath,
              stopTimeout,
              directory);
        }
        JournalStatistics last = stopping.statistics();
        RocksDbStatistics.get(context().system()).register(configPath, () -> last);
      }
      RocksDbStore store = opened.store();
      if (store != null) {
        store.close();
        LOG.info("Journal [{}] closed {}", configPath, directory);
      }
    } finally {
      super.postStop();
    }
  }

  private GroupCommitWriter writer() {
    opened.require();
    return writer.orElseThrow();
  }

  /** The serialized, framed events of one {@code AtomicWrite}. */
  private static final class EncodedWrite {
    private final byte[] prefix;
    private final long highestSequenceNr;
    private final List<byte[]> keys;
    private final List<byte[]> values;
    private final long bytes;

    EncodedWrite(
        byte[] prefix, long highestSequenceNr, List<byte[]> keys, List<byte[]> values, long bytes) {
      this.prefix = prefix;
      this.highestSequenceNr = highestSequenceNr;
      this.keys = keys;
      this.values = values;
      this.bytes = bytes;
    }
  }

  private EncodedWrite encode(AtomicWrite write) {
    byte[] prefix = KeyCodec.prefix(write.persistenceId());
    List<byte[]> keys = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    long bytes = 0;
    for (PersistentRepr event : CollectionConverters.asJava(write.payload())) {
      PersistentRepr stored =
          event.payload() instanceof Tagged tagged ? event.withPayload(tagged.payload()) : event;
      byte[] serialized = serialize(stored);
      byte[] key = KeyCodec.journalKey(prefix, stored.sequenceNr());
      keys.add(key);
      values.add(RecordFormat.encode(key, serialized));
      bytes += serialized.length;
    }
    return new EncodedWrite(prefix, write.highestSequenceNr(), keys, values, bytes);
  }

  private byte[] serialize(PersistentRepr event) {
    Try<byte[]> serialized = serialization.serialize(event);
    if (serialized.isFailure()) {
      Throwable cause = serialized.failed().get();
      throw new IllegalArgumentException(
          "Cannot serialize event "
              + event.sequenceNr()
              + " of persistenceId ["
              + event.persistenceId()
              + "] ("
              + event.payload().getClass().getName()
              + "): "
              + cause,
          cause);
    }
    return serialized.get();
  }

  private GroupCommitWriter.Request writeRequest(List<EncodedWrite> writes) {
    RocksDbStore store = opened.require();
    ColumnFamilyHandle events = store.columnFamily(EVENTS);
    ColumnFamilyHandle highest = store.columnFamily(HIGHEST);
    int eventCount = 0;
    long bytes = 0;
    for (EncodedWrite write : writes) {
      eventCount += write.keys.size();
      bytes += write.bytes;
    }
    return GroupCommitWriter.Request.write(
        batch -> {
          for (EncodedWrite write : writes) {
            for (int i = 0; i < write.keys.size(); i++) {
              batch.put(events, write.keys.get(i), write.values.get(i));
            }
            batch.put(highest, write.prefix, KeyCodec.encodeLong(write.highestSequenceNr));
          }
        },
        writes.size(),
        eventCount,
        bytes);
  }

  private void replay(
      RocksDbStore store,
      String persistenceId,
      long fromSequenceNr,
      long toSequenceNr,
      long max,
      Consumer<PersistentRepr> replayCallback) {
    byte[] prefix = KeyCodec.prefix(persistenceId);
    store.read(
        db -> {
          try (ReadOptions options = new ReadOptions().setVerifyChecksums(true);
              RocksIterator iterator = db.newIterator(store.columnFamily(EVENTS), options)) {
            long replayed = 0;
            iterator.seek(KeyCodec.journalKey(prefix, fromSequenceNr));
            while (iterator.isValid() && replayed < max) {
              byte[] key = iterator.key();
              if (!KeyCodec.belongsTo(key, prefix, Long.BYTES)) {
                break;
              }
              long sequenceNr = KeyCodec.journalSequenceNr(key);
              if (sequenceNr > toSequenceNr) {
                break;
              }
              replayCallback.accept(decode(persistenceId, sequenceNr, key, iterator.value()));
              replayed++;
              iterator.next();
            }
            iterator.status();
            return replayed;
          }
        });
  }

  private PersistentRepr decode(String persistenceId, long sequenceNr, byte[] key, byte[] value) {
    byte[] payload;
    try {
      payload = RecordFormat.decode(key, value);
    } catch (RecordFormat.InvalidRecord e) {
      throw new CorruptRecordException(directory, persistenceId, sequenceNr, e.problem());
    }
    PersistentRepr repr =
        PluginSupport.deserialize(
            serialization,
            payload,
            PersistentRepr.class,
            directory,
            "event",
            persistenceId,
            sequenceNr);
    if (!repr.persistenceId().equals(persistenceId) || repr.sequenceNr() != sequenceNr) {
      throw new CorruptRecordException(
          directory,
          persistenceId,
          sequenceNr,
          "the record holds persistenceId ["
              + repr.persistenceId()
              + "], sequenceNr ["
              + repr.sequenceNr()
              + "]");
    }
    return repr;
  }
}
