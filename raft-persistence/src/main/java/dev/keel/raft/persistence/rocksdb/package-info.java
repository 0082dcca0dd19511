/**
 * Keel's embedded durable storage: a Pekko Persistence journal plugin ({@link
 * dev.keel.raft.persistence.rocksdb.RocksDbJournal}) and snapshot-store plugin ({@link
 * dev.keel.raft.persistence.rocksdb.RocksDbSnapshotStore}) backed by RocksDB.
 *
 * <p><b>Durability.</b> Every write is a synced RocksDB write (WAL fsync) and its future completes
 * only after the sync. Journal writes go through one writer thread per store that merges whatever
 * arrived while the previous sync was in flight into one {@code WriteBatch} and one fsync (group
 * commit across every persistence id using the plugin). All events of one {@code AtomicWrite} land
 * in the same batch.
 *
 * <p><b>Layout.</b> Journal keys are {@code [int32 length][UTF-8 persistenceId][int64 sequenceNr]},
 * big-endian, so one persistence id's events are contiguous and ordered: replay is one iterator
 * range and {@code deleteMessagesTo} one {@code deleteRange}. A separate column family keeps each
 * persistence id's highest sequence number, which deletions never lower. Snapshot keys append an
 * {@code int64} timestamp to the journal key.
 *
 * <p><b>Integrity.</b> Every value is framed as {@code [version][length][CRC32C][payload]} with the
 * CRC covering the key, so a damaged or misplaced record is detected; a record that fails the check
 * fails recovery with a {@link dev.keel.raft.persistence.rocksdb.CorruptRecordException} naming the
 * directory, persistence id and sequence number, and is never skipped. A store that cannot be
 * opened (corrupt, unreadable, not a directory, another kind of store) fails every request with a
 * {@link dev.keel.raft.persistence.rocksdb.RocksDbStorageException} naming the directory; it is
 * never reset.
 *
 * <p>Depends on Pekko Persistence (classic plugin SPI), RocksDB JNI and SLF4J; nothing in Keel
 * above this module.
 */
@NullMarked
package dev.keel.raft.persistence.rocksdb;

import org.jspecify.annotations.NullMarked;
