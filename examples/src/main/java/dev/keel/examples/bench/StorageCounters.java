package dev.keel.examples.bench;

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
}
