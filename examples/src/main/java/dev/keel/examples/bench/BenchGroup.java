package dev.keel.examples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** A Raft group under a benchmark's write load, wherever its peers run. */
interface BenchGroup {

  /** Where the peers keep their state. */
  StorageKind storage();

  /** The storage counters summed over all peers. */
  StorageCounters counters();

  /** The file system type holding the journals (e.g. ext4), or null for in-memory storage. */
  @Nullable String dataFileSystem();

  /** The type of the file system holding {@code dir} (e.g. ext4); null for no directory. */
  static @Nullable String fileSystemOf(@Nullable Path dir) {
    try {
      return dir == null ? null : Files.getFileStore(dir).type();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
