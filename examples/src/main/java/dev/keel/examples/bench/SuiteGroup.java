package dev.keel.examples.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * A running 3-node group of the benchmark suite, as the driver sees it: agents ({@link NodeAgent})
 * that answer one-line commands with one JSON line, one per JVM that runs peers.
 */
interface SuiteGroup extends AutoCloseable {

  /** Where the peers keep their state. */
  StorageKind storage();

  /** Every agent's name. */
  List<String> agents();

  /** The agent of the JVM that runs member {@code member}. */
  String agentOf(String member);

  /** The type of the file system holding the data (e.g. ext4), or "null". */
  String dataFileSystem();

  /** Sends {@code command} to {@code agent} and returns its JSON answer. */
  String call(String agent, String command, Duration timeout) throws IOException;

  /** Stops every peer and deletes every directory the group made. */
  @Override
  void close();
}
