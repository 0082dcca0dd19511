package dev.keel.raft.persistence.rocksdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * One open RocksDB instance in one directory, with the column families of its {@link Kind}.
 *
 * <p>Opening never resets anything: a path that is not a directory, a directory that is neither
 * empty nor a store, a store of another kind, or a store RocksDB reports as corrupt all fail with a
 * {@link RocksDbStorageException} naming the directory. Only a missing or empty directory becomes a
 * new store.
 *
 * <p>Thread-safe. Reads and writes run under a shared lock and {@link #close()} takes it
 * exclusively, so closing waits for running operations and nothing touches native handles after
 * they are freed.
 */
final class RocksDbStore implements AutoCloseable {

  /** What a store holds; each kind has its own column families and format marker. */
  @SuppressWarnings("ImmutableEnumChecker") // columnFamilies is an unmodifiable List.of
  enum Kind {
    /** Journal events (column family 1) and highest sequence numbers (column family 2). */
    JOURNAL("keel-rocksdb-journal", List.of("events", "highest-sequence-nrs")),
    /** Snapshots (column family 1). */
    SNAPSHOTS("keel-rocksdb-snapshots", List.of("snapshots"));

    private final String formatName;
    private final List<String> columnFamilies;

    Kind(String formatName, List<String> columnFamilies) {
      this.formatName = formatName;
      this.columnFamilies = columnFamilies;
    }

    byte[] marker() {
      return (formatName + "/" + FORMAT_VERSION).getBytes(StandardCharsets.UTF_8);
    }
  }

  /** A read against the open database. */
  @FunctionalInterface
  interface StoreFunction<T> {
    /** Runs against the open database. */
    T apply(RocksDB db) throws RocksDBException;
  }

  static final int FORMAT_VERSION = 1;
  private static final byte[] FORMAT_KEY = "keel.store-format".getBytes(StandardCharsets.UTF_8);

  private final Path directory;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions columnFamilyOptions;
  private final WriteOptions syncWrites;
  private final RocksDB db;
  private final List<ColumnFamilyHandle> handles;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed; // guarded by lock.writeLock()

  private RocksDbStore(
      Path directory,
      DBOptions dbOptions,
      ColumnFamilyOptions columnFamilyOptions,
      RocksDB db,
      List<ColumnFamilyHandle> handles) {
    this.directory = directory;
    this.dbOptions = dbOptions;
    this.columnFamilyOptions = columnFamilyOptions;
    this.db = db;
    this.handles = handles;
    this.syncWrites = new WriteOptions().setSync(true);
  }

  /**
   * Opens the store in {@code configuredDirectory}, creating it only if the directory is missing or
   * empty.
   *
   * @throws RocksDbStorageException naming the directory if it cannot be opened as a store of
   *     {@code kind}
   */
  static RocksDbStore open(Path configuredDirectory, Kind kind) {
    Path directory = configuredDirectory.toAbsolutePath().normalize();
    loadNativeLibrary(directory);
    boolean fresh = prepareDirectory(directory, kind);
    DBOptions dbOptions =
        new DBOptions()
            .setCreateIfMissing(fresh)
            .setCreateMissingColumnFamilies(fresh)
            .setParanoidChecks(true)
            // Synced writes: only a torn last record can be unacknowledged; corruption anywhere
            // else in the WAL fails the open instead of silently dropping acknowledged writes.
            .setWalRecoveryMode(WALRecoveryMode.TolerateCorruptedTailRecords)
            .setKeepLogFileNum(5);
    ColumnFamilyOptions columnFamilyOptions = new ColumnFamilyOptions();
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, columnFamilyOptions));
    for (String name : kind.columnFamilies) {
      descriptors.add(
          new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), columnFamilyOptions));
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    RocksDB db;
    try {
      db = RocksDB.open(dbOptions, directory.toString(), descriptors, handles);
    } catch (RocksDBException e) {
      columnFamilyOptions.close();
      dbOptions.close();
      throw new RocksDbStorageException(
          directory, "Cannot open the " + kind.formatName + " store: " + describe(e), e);
    }
    RocksDbStore store = new RocksDbStore(directory, dbOptions, columnFamilyOptions, db, handles);
    try {
      store.checkFormatMarker(kind, fresh);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  private static void loadNativeLibrary(Path directory) {
    try {
      RocksDB.loadLibrary();
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      throw new RocksDbStorageException(
          directory,
          "Cannot load RocksDB's native library (use the rocksdbjni jar with the classifier for"
              + " this platform, e.g. linux64)",
          e);
    }
  }

  /** Returns whether the directory is new (missing or empty); fails if it cannot be a store. */
  private static boolean prepareDirectory(Path directory, Kind kind) {
    if (Files.exists(directory) && !Files.isDirectory(directory)) {
      throw new RocksDbStorageException(directory, "The store path is not a directory", null);
    }
    try {
      if (!Files.exists(directory)) {
        Files.createDirectories(directory);
        return true;
      }
    } catch (IOException e) {
      throw new RocksDbStorageException(directory, "Cannot create the store directory: " + e, e);
    }
    if (!Files.isReadable(directory)
        || !Files.isWritable(directory)
        || !Files.isExecutable(directory)) {
      throw new RocksDbStorageException(
          directory, "The store directory is not readable and writable by this process", null);
    }
    boolean empty;
    try (Stream<Path> entries = Files.list(directory)) {
      empty = entries.findAny().isEmpty();
    } catch (IOException e) {
      throw new RocksDbStorageException(directory, "Cannot list the store directory: " + e, e);
    }
    if (empty) {
      return true;
    }
    if (!Files.isRegularFile(directory.resolve("CURRENT"))) {
      throw new RocksDbStorageException(
          directory,
          "The directory is not empty but holds no RocksDB store (no CURRENT file); refusing to"
              + " create a "
              + kind.formatName
              + " store over unknown files",
          null);
    }
    requireColumnFamilies(directory, kind);
    return false;
  }

  private static void requireColumnFamilies(Path directory, Kind kind) {
    List<String> present = new ArrayList<>();
    try (Options options = new Options()) {
      for (byte[] name : RocksDB.listColumnFamilies(options, directory.toString())) {
        present.add(new String(name, StandardCharsets.UTF_8));
      }
    } catch (RocksDBException e) {
      throw new RocksDbStorageException(
          directory, "Cannot read the store's column families: " + describe(e), e);
    }
    if (!present.containsAll(kind.columnFamilies)) {
      throw new RocksDbStorageException(
          directory,
          "The RocksDB store is not a "
              + kind.formatName
              + " store (column families "
              + present
              + ", expected "
              + kind.columnFamilies
              + ")",
          null);
    }
  }

  private void checkFormatMarker(Kind kind, boolean fresh) {
    byte[] expected = kind.marker();
    byte[] stored = read(rocks -> rocks.get(handles.get(0), FORMAT_KEY));
    if (stored == null && fresh) {
      try (WriteBatch batch = new WriteBatch()) {
        batch.put(handles.get(0), FORMAT_KEY, expected);
        write(batch);
      } catch (RocksDBException e) {
        throw new RocksDbStorageException(directory, "Cannot write the format marker", e);
      }
    } else if (stored == null || !Arrays.equals(stored, expected)) {
      String found = stored == null ? "none" : new String(stored, StandardCharsets.UTF_8);
      throw new RocksDbStorageException(
          directory,
          "Unexpected store format marker '"
              + found
              + "', expected '"
              + new String(expected, StandardCharsets.UTF_8)
              + "'",
          null);
    }
  }

  /** The store's absolute directory. */
  Path directory() {
    return directory;
  }

  /** The handle of the kind's column family {@code index} (1-based; 0 is the default family). */
  ColumnFamilyHandle columnFamily(int index) {
    return handles.get(index);
  }

  /**
   * Runs a read against the open database.
   *
   * @throws RocksDbStorageException if the store is closed or RocksDB fails
   */
  <T> T read(StoreFunction<T> function) {
    Lock shared = lock.readLock();
    shared.lock();
    try {
      requireOpen();
      return function.apply(db);
    } catch (RocksDBException e) {
      throw new RocksDbStorageException(directory, "RocksDB read failed: " + describe(e), e);
    } finally {
      shared.unlock();
    }
  }

  /**
   * Applies {@code batch} atomically with a synced write: it is on disk when this returns.
   *
   * @throws RocksDbStorageException if the store is closed or the write or the sync fails
   */
  void write(WriteBatch batch) {
    Lock shared = lock.readLock();
    shared.lock();
    try {
      requireOpen();
      db.write(syncWrites, batch);
    } catch (RocksDBException e) {
      throw new RocksDbStorageException(
          directory, "Synced RocksDB write failed: " + describe(e), e);
    } finally {
      shared.unlock();
    }
  }

  /**
   * Runs {@code action} while the store stays open: column family handles used inside cannot be
   * freed by a concurrent {@link #close()} (RocksDB would crash the JVM). Reads and writes inside
   * are allowed (the shared lock is reentrant).
   *
   * @throws RocksDbStorageException if the store is closed
   */
  void whileOpen(Runnable action) {
    Lock shared = lock.readLock();
    shared.lock();
    try {
      requireOpen();
      action.run();
    } finally {
      shared.unlock();
    }
  }

  /** RocksDB's status code and message, e.g. {@code "Corruption: checksum mismatch"}. */
  static String describe(RocksDBException e) {
    Status status = e.getStatus();
    String message = String.valueOf(e.getMessage());
    if (status == null || message.startsWith(status.getCodeString())) {
      return message;
    }
    return status.getCodeString() + ": " + message;
  }

  private void requireOpen() {
    if (closed) {
      throw new RocksDbStorageException(directory, "The store is closed", null);
    }
  }

  /**
   * Closes the database after running operations finish. Idempotent.
   *
   * @throws RocksDbStorageException if RocksDB reports an error while closing
   */
  @Override
  public void close() {
    @Nullable RocksDBException failure = null;
    Lock exclusive = lock.writeLock();
    exclusive.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      handles.forEach(ColumnFamilyHandle::close);
      try {
        db.closeE();
      } catch (RocksDBException e) {
        failure = e;
      }
      syncWrites.close();
      columnFamilyOptions.close();
      dbOptions.close();
    } finally {
      exclusive.unlock();
    }
    if (failure != null) {
      throw new RocksDbStorageException(directory, "Closing the store failed", failure);
    }
  }
}
