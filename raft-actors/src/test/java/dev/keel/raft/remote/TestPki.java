package dev.keel.raft.remote;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.keel.raft.tls.ClusterCa;
import dev.keel.raft.tls.NodeKeyMaterial;
import dev.keel.raft.tls.PemFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Key material made at test time: a CA, and per node a directory with {@code node.key}, {@code
 * node.crt} and {@code ca.crt} (each node its own copy of the trusted CAs, so a test can change
 * what one node trusts).
 */
final class TestPki {

  static final List<String> LOOPBACK = List.of("127.0.0.1", "localhost");

  final Path dir;
  final ClusterCa ca;

  TestPki(Path dir, String caName) {
    this.dir = dir;
    this.ca = ClusterCa.generate(caName, Duration.ofDays(2));
  }

  /**
   * Issues a valid certificate for {@code name} from this CA and writes it with this CA trusted.
   */
  Path writeNode(String name) {
    return writeNode(name, ca.issue(name, LOOPBACK, Duration.ofDays(1)), List.of(ca));
  }

  /** Writes {@code material} and the CAs {@code name} trusts into its directory. */
  Path writeNode(String name, NodeKeyMaterial material, List<ClusterCa> trusted) {
    Path nodeDir = dir.resolve(name);
    try {
      material.writePem(nodeDir.resolve("node.key"), nodeDir.resolve("node.crt"));
      writeTrust(name, trusted);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return nodeDir;
  }

  /** Replaces the CAs {@code name} trusts. */
  void writeTrust(String name, List<ClusterCa> trusted) throws IOException {
    PemFiles.writeCertificates(
        dir.resolve(name).resolve("ca.crt"), trusted.stream().map(ClusterCa::certificate).toList());
  }

  /** A certificate for {@code name} from this CA that expired yesterday. */
  NodeKeyMaterial expired(String name) {
    Instant now = Instant.now();
    return ca.issue(name, LOOPBACK, now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(1)));
  }

  /** The {@code keel.node.tls} settings of the node whose files are in {@code nodeDir}. */
  static Config tlsConfig(Path nodeDir, Duration reloadInterval) {
    return ConfigFactory.parseMap(
        Map.of(
            "keel.node.tls.key-file", nodeDir.resolve("node.key").toString(),
            "keel.node.tls.cert-file", nodeDir.resolve("node.crt").toString(),
            "keel.node.tls.ca-file", nodeDir.resolve("ca.crt").toString(),
            "keel.node.tls.reload-interval", reloadInterval.toMillis() + "ms"));
  }
}
