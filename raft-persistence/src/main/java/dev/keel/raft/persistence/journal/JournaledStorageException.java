package dev.keel.raft.persistence.journal;

import org.jspecify.annotations.Nullable;

/**
 * Why a {@link JournaledRaftStorage} operation failed: recovery could not read the journal, a
 * journal write failed or was rejected, the journal actor stopped, or the storage was closed or
 * recovered again. The message and {@link #persistenceId()} name the peer's journal; the cause, if
 * any, is what the journal reported.
 */
public final class JournaledStorageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String persistenceId;

  JournaledStorageException(String persistenceId, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.persistenceId = persistenceId;
  }

  /** The persistence id of the journal concerned, e.g. {@code keel-raft|group|n1}. */
  public String persistenceId() {
    return persistenceId;
  }
}
