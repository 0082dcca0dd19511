package dev.keel.raft.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Handshakes between engines of {@link KeelSslEngineProvider} and others, in memory: who is let in,
 * what a refusal logs, and how renewed key material on disk is taken up.
 */
class KeelSslEngineProviderTest {

  private static final List<String> HOSTS = List.of("127.0.0.1");

  @TempDir Path dir;
  private ClusterCa ca;
  private LogCapture log;

  @BeforeEach
  void writeMaterial() throws Exception {
    ca = ClusterCa.generate("test-ca", Duration.ofDays(1));
    write("n1", ca.issue("n1", HOSTS, Duration.ofDays(1)), List.of(ca));
    write("n2", ca.issue("n2", HOSTS, Duration.ofDays(1)), List.of(ca));
    log = LogCapture.of("dev.keel.raft.tls");
  }

  @AfterEach
  void stopCapture() {
    log.close();
  }

  @Test
  void twoNodesOfTheClusterCaShakeHandsBothWays() {
    assertThat(Handshake.run(client("n1"), server("n2"))).isNull();
    assertThat(Handshake.run(client("n2"), server("n1"))).isNull();
    assertThat(log.lines()).noneMatch(line -> line.contains("Keel TLS"));
  }

  @Test
  void aCertificateFromAnotherCaIsRefusedNamingIt() throws Exception {
    ClusterCa other = ClusterCa.generate("other-ca", Duration.ofDays(1));
    SSLEngine rogue = clientEngine(TestContexts.forcing(other.issue("rogue", HOSTS, DAY)));

    assertThat(Handshake.run(rogue, server("n2"))).isNotNull();
    assertThat(log.lines())
        .anyMatch(
            line ->
                line.contains("refused an inbound TLS connection on 127.0.0.1:2552")
                    && line.contains("untrusted certificate 'CN=rogue'")
                    && line.contains("issued by 'CN=other-ca'"));
  }

  @Test
  void aJdkClientWithACertificateFromAnotherCaPresentsNoneAndIsRefused() throws Exception {
    ClusterCa other = ClusterCa.generate("other-ca", Duration.ofDays(1));
    write("rogue", other.issue("rogue", HOSTS, DAY), List.of(ca));

    assertThat(Handshake.run(client("rogue"), server("n2"))).isNotNull();
    assertThat(log.lines()).anyMatch(line -> line.contains("presented no certificate"));
  }

  @Test
  void anExpiredCertificateIsRefused() throws Exception {
    Instant now = Instant.now();
    write(
        "old",
        ca.issue("old", HOSTS, now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(1))),
        List.of(ca));
    SSLEngine client = client("old");

    assertThat(Handshake.run(client, server("n2"))).isNotNull();
    assertThat(log.lines())
        .anyMatch(line -> line.contains("this node's TLS certificate is not valid now"))
        .anyMatch(
            line -> line.contains("untrusted certificate 'CN=old'") && line.contains("EXPIRED"));
  }

  @Test
  void aClientWithoutCertificateIsRefused() throws Exception {
    assertThat(Handshake.run(clientEngine(TestContexts.certificateFree()), server("n2")))
        .isNotNull();
    assertThat(log.lines()).anyMatch(line -> line.contains("presented no certificate"));
  }

  @Test
  void plaintextIsRefused() {
    SSLEngine server = server("n2");
    ByteBuffer plaintext = ByteBuffer.wrap("PEKK\u0001 not tls at all".getBytes(UTF_8));

    assertThatThrownBy(() -> server.unwrap(plaintext, ByteBuffer.allocate(64 * 1024)))
        .isInstanceOf(SSLException.class);
    assertThat(log.lines()).anyMatch(line -> line.contains("the peer does not speak TLS"));
  }

  @Test
  void renewedKeyMaterialIsUsedForNewConnectionsWhileOldConnectionsKeepTheirs() throws Exception {
    KeelSslEngineProvider n1 = provider("n1");
    SSLEngine established = n1.createClientSSLEngine("127.0.0.1", 2552);
    assertThat(Handshake.run(established, server("n2"))).isNull();
    assertThat(n1.reloadIfChanged()).as("nothing changed").isFalse();

    NodeKeyMaterial renewed = ca.issue("n1", HOSTS, DAY);
    write("n1", renewed, List.of(ca));
    assertThat(n1.reloadIfChanged()).isTrue();

    SSLEngine fresh = n1.createClientSSLEngine("127.0.0.1", 2552);
    assertThat(Handshake.run(fresh, server("n2"))).isNull();
    assertThat(fresh.getSession().getLocalCertificates()[0]).isEqualTo(renewed.certificate());
    established.wrap(ByteBuffer.allocate(1), ByteBuffer.allocate(64 * 1024));
    assertThat(log.lines()).noneMatch(line -> line.contains("Keel TLS"));
  }

  @Test
  void withCloseConnectionsOnChangeOldConnectionsFailTheirNextOperation() throws Exception {
    KeelSslEngineProvider n1 =
        new KeelSslEngineProvider(
            TlsSettings.fromConfig(
                ConfigFactory.parseString("keel.node.tls.close-connections-on-change = on")
                    .withFallback(config("n1"))),
            null);
    SSLEngine established = n1.createClientSSLEngine("127.0.0.1", 2552);
    assertThat(Handshake.run(established, server("n2"))).isNull();

    write("n1", ca.issue("n1", HOSTS, DAY), List.of(ca));
    assertThat(n1.reloadIfChanged()).isTrue();

    assertThatThrownBy(
            () -> established.wrap(ByteBuffer.allocate(1), ByteBuffer.allocate(64 * 1024)))
        .isInstanceOf(SSLException.class)
        .hasMessageContaining("replaced key material");
    // Once only, as the JDK's engine: then it is closed, and answers so.
    assertThat(established.wrap(ByteBuffer.allocate(1), ByteBuffer.allocate(64 * 1024)).getStatus())
        .isEqualTo(javax.net.ssl.SSLEngineResult.Status.CLOSED);
    assertThat(established.isOutboundDone()).isTrue();
    assertThat(Handshake.run(n1.createClientSSLEngine("127.0.0.1", 2552), server("n2"))).isNull();
  }

  @Test
  void aHalfReplacedKeyPairIsIgnoredUntilComplete() throws Exception {
    KeelSslEngineProvider n1 = provider("n1");
    NodeKeyMaterial renewed = ca.issue("n1", HOSTS, DAY);
    Path nodeDir = dir.resolve("n1");
    PemFiles.writeCertificates(nodeDir.resolve("node.crt"), renewed.chain()); // key not yet

    assertThat(n1.reloadIfChanged()).isFalse();
    assertThat(log.lines()).anyMatch(line -> line.contains("does not belong to the certificate"));
    assertThat(Handshake.run(n1.createClientSSLEngine("127.0.0.1", 1), server("n2"))).isNull();

    PemFiles.writePrivateKey(nodeDir.resolve("node.key"), renewed.privateKey());
    assertThat(n1.reloadIfChanged()).isTrue();
  }

  @Test
  void aNodeTrustingBothCasAcceptsEitherUntilTheOldOneIsDropped() throws Exception {
    ClusterCa next = ClusterCa.generate("next-ca", Duration.ofDays(1));
    write("moved", next.issue("moved", HOSTS, DAY), List.of(ca, next));
    KeelSslEngineProvider n2 = provider("n2");
    assertThat(Handshake.run(client("moved"), n2.createServerSSLEngine("h", 1))).isNotNull();

    PemFiles.writeCertificates(
        dir.resolve("n2/ca.crt"), List.of(ca.certificate(), next.certificate()));
    assertThat(n2.reloadIfChanged()).isTrue();
    assertThat(Handshake.run(client("moved"), n2.createServerSSLEngine("h", 1))).isNull();
    assertThat(Handshake.run(client("n1"), n2.createServerSSLEngine("h", 1))).isNull();

    PemFiles.writeCertificates(dir.resolve("n2/ca.crt"), List.of(next.certificate()));
    assertThat(n2.reloadIfChanged()).isTrue();
    assertThat(Handshake.run(client("moved"), n2.createServerSSLEngine("h", 1))).isNull();
    assertThat(Handshake.run(client("n1"), n2.createServerSSLEngine("h", 1))).isNotNull();
  }

  @Test
  void pkcs12KeyAndTrustStoresWorkLikePem() throws Exception {
    Path stores = dir.resolve("p12");
    char[] password = "secret".toCharArray();
    ca.issue("n3", HOSTS, DAY).writePkcs12(stores.resolve("node.p12"), password);
    NodeKeyMaterial.writePkcs12TrustStore(
        stores.resolve("trust.p12"), List.of(ca.certificate()), password);
    Map<String, Object> settings = new HashMap<>();
    settings.put("keel.node.tls.format", "pkcs12");
    settings.put("keel.node.tls.key-store", stores.resolve("node.p12").toString());
    settings.put("keel.node.tls.key-store-password", "secret");
    settings.put("keel.node.tls.trust-store", stores.resolve("trust.p12").toString());
    settings.put("keel.node.tls.trust-store-password", "secret");
    KeelSslEngineProvider n3 =
        new KeelSslEngineProvider(TlsSettings.fromConfig(ConfigFactory.parseMap(settings)), null);

    assertThat(Handshake.run(n3.createClientSSLEngine("h", 1), server("n1"))).isNull();
    assertThat(Handshake.run(client("n1"), n3.createServerSSLEngine("h", 1))).isNull();
  }

  @Test
  void missingOrWrongFilesFailAtStartupNamingTheSetting() throws Exception {
    Config missing =
        config("n1")
            .withValue(
                "keel.node.tls.ca-file",
                ConfigFactory.parseString("x = nowhere.crt").getValue("x"));
    assertThatThrownBy(() -> TlsSettings.fromConfig(missing))
        .hasMessageContaining("keel.node.tls.ca-file is not a readable file");
    Files.writeString(dir.resolve("n1/node.key"), "not a key");
    assertThatThrownBy(() -> provider("n1"))
        .hasMessageContaining("keel.node.tls")
        .hasMessageContaining("node.key");
    assertThatThrownBy(
            () -> TlsSettings.fromConfig(ConfigFactory.parseString("keel.node.tls.format = jks")))
        .hasMessageContaining("keel.node.tls.format must be pem or pkcs12");
  }

  private static final Duration DAY = Duration.ofDays(1);
  private static final java.nio.charset.Charset UTF_8 = java.nio.charset.StandardCharsets.UTF_8;

  private SSLEngine client(String node) {
    return provider(node).createClientSSLEngine("127.0.0.1", 2552);
  }

  private SSLEngine server(String node) {
    return provider(node).createServerSSLEngine("127.0.0.1", 2552);
  }

  private static SSLEngine clientEngine(javax.net.ssl.SSLContext context) {
    SSLEngine engine = context.createSSLEngine("127.0.0.1", 2552);
    engine.setUseClientMode(true);
    return engine;
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
