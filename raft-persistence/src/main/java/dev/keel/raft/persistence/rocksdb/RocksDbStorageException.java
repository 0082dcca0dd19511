package dev.keel.raft.persistence.rocksdb;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * A RocksDB store of Keel could not be opened, read or written. The message and {@link
 * #directory()} name the store's directory.
 */
public class RocksDbStorageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Path directory;

  /**
   * Creates the exception.
   *
   * @param directory the store's directory
   * @param message what went wrong; the directory is appended
   * @param cause the underlying failure, if any
   */
  public RocksDbStorageException(Path directory, String message, @Nullable Throwable cause) {
    super(message + " [directory: " + directory + "]", cause);
    this.directory = directory;
  }

  /**
   * The directory of the store that failed.
   *
   * @return the store's directory, as configured (absolute)
   */
  public Path directory() {
    return directory;
  }
}
