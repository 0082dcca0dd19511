package dev.keel.examples.kv;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A node's {@code --data-dir}, claimed for the life of the process. On first use it records which
 * node of which cluster it belongs to ({@value #MARKER}); later starts refuse a directory of
 * another node or another cluster, a non-empty directory that is not a node's, and a directory
 * another process holds (an OS file lock on {@value #LOCK}).
 */
final class DataDir implements AutoCloseable {

  static final String MARKER = "kv-node.properties";
  static final String LOCK = "kv-node.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataDir(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Claims {@code dir} for node {@code node} of cluster {@code clusterId}, creating it if needed.
   *
   * @throws StartupException ({@link StartupException#DATA_DIR}) saying why not
   */
  static DataDir claim(Path dir, String clusterId, String node) throws StartupException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw refused("--data-dir " + dir + " is not a directory");
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw refused("cannot create --data-dir " + dir + ": " + e);
    }
    Path marker = dir.resolve(MARKER);
    Properties recorded = Files.exists(marker) ? load(marker) : null;
    if (recorded == null && !empty(dir)) {
      throw refused(
          "--data-dir "
              + dir
              + " is not empty and is not a kv-node data directory (it has no "
              + MARKER
              + "); give a new or empty directory");
    }
    if (recorded != null) {
      check(dir, recorded, clusterId, node);
    }
    DataDir claimed = lock(dir);
    if (recorded == null) {
      Properties identity = new Properties();
      identity.setProperty("cluster-id", clusterId);
      identity.setProperty("node", node);
      store(marker, identity);
    }
    return claimed;
  }

  /** Releases the lock (the process's exit releases it too). */
  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // the lock goes with the channel, and the channel with the process
    }
  }

  private static void check(Path dir, Properties recorded, String clusterId, String node)
      throws StartupException {
    String recordedNode = recorded.getProperty("node", "");
    String recordedCluster = recorded.getProperty("cluster-id", "");
    if (!recordedNode.equals(node)) {
      throw refused(
          "--data-dir " + dir + " holds the data of node " + recordedNode + ", not of " + node);
    }
    if (!recordedCluster.equals(clusterId)) {
      throw refused(
          "--data-dir "
              + dir
              + " holds the data of another cluster (cluster id "
              + recordedCluster
              + "; --tls-dir is cluster "
              + clusterId
              + ")");
    }
  }

  private static DataDir lock(Path dir) throws StartupException {
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = tryLock(channel);
      if (lock == null) {
        channel.close();
        throw refused("--data-dir " + dir + " is in use by another kv-node process");
      }
      return new DataDir(channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw refused("cannot lock --data-dir " + dir + ": " + e);
    }
  }

  private static @Nullable FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // held by this JVM (another node in the same process, in tests)
    }
  }

  private static boolean empty(Path dir) throws StartupException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.allMatch(entry -> entry.getFileName().toString().equals(LOCK));
    } catch (IOException e) {
      throw refused("cannot read --data-dir " + dir + ": " + e);
    }
  }

  private static Properties load(Path marker) throws StartupException {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(marker)) {
      properties.load(in);
    } catch (IOException e) {
      throw refused("cannot read " + marker + ": " + e);
    }
    return properties;
  }

  private static void store(Path marker, Properties identity) throws StartupException {
    Path temporary = marker.resolveSibling(MARKER + ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(temporary)) {
        identity.store(out, "which kv-node this data directory belongs to; do not edit");
      }
      Files.move(temporary, marker, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw refused("cannot write " + marker + ": " + e);
    }
  }

  private static void closeQuietly(@Nullable FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // nothing was locked
      }
    }
  }

  private static StartupException refused(String message) {
    return new StartupException(StartupException.DATA_DIR, message);
  }
}
