package dev.keel.examples.bench;

import org.jspecify.annotations.Nullable;

/** A Raft group under a benchmark's write load, wherever its peers run. */
interface BenchGroup {

  /** Where the peers keep their state. */
  StorageKind storage();

  /** The storage counters summed over all peers. */
  StorageCounters counters();

  /** The file system type holding the journals (e.g. ext4), or null for in-memory storage. */
  @Nullable String dataFileSystem();
}
