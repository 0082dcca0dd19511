package dev.keel.raft.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Handshakes between engines of {@link KeelSslEngineProvider} and others, in memory. */
class KeelSslEngineProviderTest {

  private static final List<String> HOSTS = List.of("127.0.0.1");

  @TempDir Path dir;
  private ClusterCa ca;

  @BeforeEach
  void writeMaterial() throws Exception {
    ca = ClusterCa.generate("test-ca", Duration.ofDays(1));
    write("n1", ca.issue("n1", HOSTS, Duration.ofDays(1)), List.of(ca));
    write("n2", ca.issue("n2", HOSTS, Duration.ofDays(1)), List.of(ca));
  }

  @Test
  void twoNodesOfTheClusterCaShakeHands() {
    assertThat(Handshake.run(client("n1"), server("n2"))).isNull();
  }

  @Test
  void aCertificateFromAnotherCaIsRefused() throws Exception {
    ClusterCa other = ClusterCa.generate("other-ca", Duration.ofDays(1));
    SSLEngine rogue =
        TestContexts.forcing(other.issue("rogue", HOSTS, Duration.ofDays(1)))
            .createSSLEngine("127.0.0.1", 1);
    rogue.setUseClientMode(true);
    try (LogCapture log = LogCapture.of("dev.keel.raft.tls")) {
      SSLException failure = Handshake.run(rogue, server("n2"));
      assertThat(failure).isNotNull();
      assertThat(log.lines()).anyMatch(l -> l.contains("untrusted certificate 'CN=rogue'"));
    }
  }

  private SSLEngine client(String node) {
    return provider(node).createClientSSLEngine("127.0.0.1", 2552);
  }

  private SSLEngine server(String node) {
    return provider(node).createServerSSLEngine("127.0.0.1", 2552);
  }

  private KeelSslEngineProvider provider(String node) {
    return new KeelSslEngineProvider(TlsSettings.fromConfig(config(node)), null);
  }

  private Config config(String node) {
    Path nodeDir = dir.resolve(node);
    return ConfigFactory.parseMap(
        Map.of(
            "keel.node.tls.key-file", nodeDir.resolve("node.key").toString(),
            "keel.node.tls.cert-file", nodeDir.resolve("node.crt").toString(),
            "keel.node.tls.ca-file", nodeDir.resolve("ca.crt").toString(),
            "keel.node.tls.refusal-log-interval", "0s"));
  }

  private void write(String node, NodeKeyMaterial material, List<ClusterCa> trusted)
      throws Exception {
    Path nodeDir = dir.resolve(node);
    material.writePem(nodeDir.resolve("node.key"), nodeDir.resolve("node.crt"));
    PemFiles.writeCertificates(
        nodeDir.resolve("ca.crt"), trusted.stream().map(ClusterCa::certificate).toList());
  }
}
