package dev.keel.examples.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The {@code in-process} topology: the three peers in one actor system of the driver's own JVM,
 * connected by the testkit's in-process network ({@link BenchCluster}), served by one {@link
 * NodeAgent}.
 */
final class InProcessGroup implements SuiteGroup {

  private static final String AGENT = "in-process";

  private final BenchCluster cluster;
  private final NodeAgent agent;

  private InProcessGroup(BenchCluster cluster) {
    this.cluster = cluster;
    this.agent = cluster.agent();
  }

  static InProcessGroup start(StorageKind storage, Path dataDir) throws IOException {
    return new InProcessGroup(BenchCluster.start(storage, 3, dataDir));
  }

  @Override
  public StorageKind storage() {
    return cluster.storage();
  }

  @Override
  public List<String> agents() {
    return List.of(AGENT);
  }

  @Override
  public String agentOf(String member) {
    return AGENT;
  }

  @Override
  public String dataFileSystem() {
    return String.valueOf(cluster.dataFileSystem());
  }

  @Override
  public String call(String agentName, String command, Duration timeout) throws IOException {
    try {
      return agent.handle(command);
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (Exception e) {
      throw new IllegalStateException(command + " failed", e);
    }
  }

  @Override
  public void close() {
    cluster.close();
  }
}
