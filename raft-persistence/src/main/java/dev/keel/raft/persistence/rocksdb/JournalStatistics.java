package dev.keel.raft.persistence.rocksdb;

/**
 * Counters of one journal plugin instance since it started: how many synced batches (one fsync
 * each) carried how many writes. Read them with {@link RocksDbStatistics#journal(String)}.
 *
 * @param batches synced RocksDB writes, i.e. fsyncs of the write-ahead log
 * @param atomicWrites Pekko {@code AtomicWrite}s stored (one per {@code persist} call)
 * @param events events stored
 * @param bytes serialized event bytes stored, before framing
 * @param deletions {@code deleteMessagesTo} requests applied
 */
public record JournalStatistics(
    long batches, long atomicWrites, long events, long bytes, long deletions) {

  /** Counters of a journal that has written nothing. */
  public static final JournalStatistics EMPTY = new JournalStatistics(0, 0, 0, 0, 0);

  /**
   * The average number of events per fsync (group commit factor).
   *
   * @return events divided by batches, 0 before the first batch
   */
  public double eventsPerBatch() {
    return batches == 0 ? 0 : (double) events / batches;
  }

  /**
   * The average number of atomic writes per fsync.
   *
   * @return atomic writes divided by batches, 0 before the first batch
   */
  public double atomicWritesPerBatch() {
    return batches == 0 ? 0 : (double) atomicWrites / batches;
  }
}
