package dev.keel.examples.bench;

/** Where the benchmark's peers keep their term, vote and log. */
public enum StorageKind {
  /** {@code InMemoryRaftStorage}: nothing touches the disk. */
  MEMORY("memory"),
  /**
   * {@code JournaledRaftStorage} on Keel's RocksDB journal, one directory per peer: every write is
   * acknowledged only after the journal's synced RocksDB write (fsync of its write-ahead log).
   */
  DURABLE_FSYNC("durable-fsync");

  private final String label;

  StorageKind(String label) {
    this.label = label;
  }

  /**
   * The name used on the command line and in the JSON output.
   *
   * @return {@code memory} or {@code durable-fsync}
   */
  public String label() {
    return label;
  }

  /**
   * The kind named {@code label}.
   *
   * @param label {@code memory} or {@code durable-fsync}
   * @return the kind
   * @throws IllegalArgumentException for any other name
   */
  public static StorageKind of(String label) {
    for (StorageKind kind : values()) {
      if (kind.label.equals(label.trim())) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "bench.storage must be memory or durable-fsync, was '" + label + "'");
  }
}
