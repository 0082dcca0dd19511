package dev.keel.raft.persistence.rocksdb;

import java.nio.file.Path;

/**
 * A stored record failed its integrity check (checksum, length, format version, or it does not
 * belong to the key it is stored under). Recovery fails with this exception rather than skipping
 * the record: a skipped event would silently change the recovered state.
 */
public final class CorruptRecordException extends RocksDbStorageException {

  private static final long serialVersionUID = 1L;

  private final String persistenceId;
  private final long sequenceNr;

  /**
   * Creates the exception.
   *
   * @param directory the store's directory
   * @param persistenceId the persistence id of the damaged record
   * @param sequenceNr the sequence number of the damaged record
   * @param problem what the check found
   */
  public CorruptRecordException(
      Path directory, String persistenceId, long sequenceNr, String problem) {
    super(
        directory,
        "Corrupt record for persistenceId ["
            + persistenceId
            + "], sequenceNr ["
            + sequenceNr
            + "]: "
            + problem,
        null);
    this.persistenceId = persistenceId;
    this.sequenceNr = sequenceNr;
  }

  /**
   * The persistence id of the damaged record.
   *
   * @return the persistence id
   */
  public String persistenceId() {
    return persistenceId;
  }

  /**
   * The sequence number of the damaged record.
   *
   * @return the sequence number
   */
  public long sequenceNr() {
    return sequenceNr;
  }
}
