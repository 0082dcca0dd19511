package dev.keel.examples.bench;

import dev.keel.raft.persistence.journal.JournaledRaftStorage;
import dev.keel.raft.persistence.rocksdb.JournalStatistics;
import dev.keel.raft.persistence.rocksdb.RocksDbStatistics;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Storage counters summed over a group's peers; subtract two readings for a window.
 *
 * @param entriesAppended log entries the peers handed to storage (counted by {@link
 *     CountingStorage})
 * @param fsyncs synced RocksDB writes of the peers' journals ({@code JournalStatistics.batches()})
 * @param journalWrites atomic journal writes the peers' storages issued ({@code
 *     JournaledRaftStorage.Statistics.journalWrites()}); equals {@code fsyncs} when each journal
 *     serves one peer, as here
 * @param storageWritesDurable storage calls (appends, term and vote saves) confirmed durable
 */
record StorageCounters(
    long entriesAppended, long fsyncs, long journalWrites, long storageWritesDurable) {

  /** Counters of a storage that never writes to disk. */
  static final StorageCounters ZERO = new StorageCounters(0, 0, 0, 0);

  StorageCounters plus(StorageCounters other) {
    return new StorageCounters(
        entriesAppended + other.entriesAppended,
        fsyncs + other.fsyncs,
        journalWrites + other.journalWrites,
        storageWritesDurable + other.storageWritesDurable);
  }

  StorageCounters minus(StorageCounters earlier) {
    return new StorageCounters(
        entriesAppended - earlier.entriesAppended,
        fsyncs - earlier.fsyncs,
        journalWrites - earlier.journalWrites,
        storageWritesDurable - earlier.storageWritesDurable);
  }

  /**
   * The counters of a group's peers: entries from each peer's {@link CountingStorage}, fsyncs from
   * the RocksDB journal statistics of the actor system the journals live in, journal writes from
   * the storages themselves.
   *
   * @param counted every peer's counting storage
   * @param journals every peer's journaled storage (none for in-memory storage)
   * @param system the actor system the journals live in
   */
  static StorageCounters sum(
      List<CountingStorage> counted, List<JournaledRaftStorage> journals, ActorSystem<?> system) {
    StorageCounters sum = ZERO;
    for (CountingStorage storage : counted) {
      sum = sum.plus(new StorageCounters(storage.entriesAppended(), 0, 0, 0));
    }
    for (JournaledRaftStorage storage : journals) {
      long fsyncs =
          RocksDbStatistics.get(system)
              .journal(storage.journalPluginId())
              .map(JournalStatistics::batches)
              .orElse(0L);
      JournaledRaftStorage.Statistics stats = storage.statistics();
      sum = sum.plus(new StorageCounters(0, fsyncs, stats.journalWrites(), stats.writesDurable()));
    }
    return sum;
  }
}
