package dev.keel.raft.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.keel.raft.RaftSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code keel.node} block: what it turns into, and every invalid value named at startup. */
class NodeSettingsTest {

  @TempDir Path dir;
  private Config valid;

  @BeforeEach
  void writeKeyMaterial() {
    TestPki pki = new TestPki(dir, "ca");
    Path n1 = pki.writeNode("n1");
    valid =
        ConfigFactory.parseString(
                """
                keel.node {
                  name = n1
                  members {
                    n1 = "10.0.0.1:2551"
                    n2 = "10.0.0.2:2552"
                    n3 = "[fd00::3]:2553"
                  }
                }
                """)
            .withFallback(TestPki.tlsConfig(n1, Duration.ofSeconds(5)));
  }

  @Test
  void readsTheBlockAndAdvertisesTheNodesOwnMemberAddress() {
    NodeSettings node = NodeSettings.fromConfig(valid);

    assertThat(node.name()).isEqualTo("n1");
    assertThat(node.systemName()).isEqualTo("keel");
    assertThat(node.memberNames()).containsExactly("n1", "n2", "n3");
    assertThat(node.members().get("n3")).isEqualTo(new MemberAddress("fd00::3", 2553));
    assertThat(node.canonicalAddress()).isEqualTo(new MemberAddress("10.0.0.1", 2551));
    assertThat(node.bindHostname()).isEqualTo("10.0.0.1");
    assertThat(node.bindPort()).isEqualTo(2551);
    assertThat(node.plaintext()).isFalse();
    assertThat(node.tls()).isNotNull();

    Config system = node.actorSystemConfig(ConfigFactory.load());
    assertThat(system.getString("pekko.actor.provider")).isEqualTo("remote");
    assertThat(system.getString("pekko.remote.artery.transport")).isEqualTo("tls-tcp");
    assertThat(system.getString("pekko.remote.artery.ssl.ssl-engine-provider"))
        .isEqualTo("dev.keel.raft.tls.KeelSslEngineProvider");
    assertThat(system.getString("pekko.remote.artery.canonical.hostname")).isEqualTo("10.0.0.1");
    assertThat(system.getInt("pekko.remote.artery.canonical.port")).isEqualTo(2551);
    assertThat(system.getBoolean("pekko.remote.artery.untrusted-mode")).isTrue();
    assertThat(system.getBoolean("pekko.actor.allow-java-serialization")).isFalse();
  }

  @Test
  void listensWhereToldWhileAdvertisingItsMemberAddress() {
    NodeSettings node =
        NodeSettings.fromConfig(
            ConfigFactory.parseString("keel.node.bind { hostname = \"0.0.0.0\", port = 7000 }")
                .withFallback(valid));
    Config system = node.actorSystemConfig(ConfigFactory.load());

    assertThat(system.getString("pekko.remote.artery.bind.hostname")).isEqualTo("0.0.0.0");
    assertThat(system.getInt("pekko.remote.artery.bind.port")).isEqualTo(7000);
    assertThat(system.getString("pekko.remote.artery.canonical.hostname")).isEqualTo("10.0.0.1");
    assertThat(system.getInt("pekko.remote.artery.canonical.port")).isEqualTo(2551);
  }

  @Test
  void plaintextNeedsNoKeyMaterialAndSaysSo() {
    NodeSettings node =
        NodeSettings.fromConfig(
            ConfigFactory.parseString(
                    NodeSettings.PLAINTEXT_SETTING + " = on\nkeel.node.tls.key-file = \"\"")
                .withFallback(valid));

    assertThat(node.plaintext()).isTrue();
    assertThat(
            node.actorSystemConfig(ConfigFactory.load()).getString("pekko.remote.artery.transport"))
        .isEqualTo("tcp");
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "keel.node.name | '' | keel.node.name must be",
        "keel.node.name | n9 | keel.node.members must include this node, 'n9'",
        "keel.node.system-name | 'a b' | keel.node.system-name must be",
        "keel.node.members.n2 | 10.0.0.2 | keel.node.members.n2 expected host:port",
        "keel.node.members.n2 | '10.0.0.2:99999' | keel.node.members.n2 a member's port",
        "keel.node.members.n2 | 'fd00::2:2552' | keel.node.members.n2 write IPv6 addresses",
        "keel.node.bind.port | 70000 | keel.node.bind.port must be 0-65535",
        "keel.node.bind.port | abc | keel.node.bind.port must be a port number",
        "keel.node.reconnect-backoff | 0s | keel.node.reconnect-backoff must be positive",
        "keel.node.tls.format | der | keel.node.tls.format must be pem or pkcs12",
        "keel.node.tls.key-file | /no/such.key | keel.node.tls.key-file is not a readable file",
        "keel.node.tls.cert-file | '' | keel.node.tls.cert-file must be set",
        "keel.node.tls.reload-interval | 0s | keel.node.tls.reload-interval must be positive",
        "keel.node.tls.reload-interval | soon | keel.node.tls",
      })
  void anInvalidValueFailsNamingTheSetting(String setting, String value, String message) {
    Config broken = ConfigFactory.parseMap(Map.of(setting, value)).withFallback(valid);

    assertThatThrownBy(() -> NodeSettings.fromConfig(broken))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void membersMustBeHostPortStrings() {
    Config broken = ConfigFactory.parseString("keel.node.members.n2 = 2552").withFallback(valid);

    assertThatThrownBy(() -> NodeSettings.fromConfig(broken))
        .hasMessageContaining("keel.node.members.n2 must be \"host:port\"");
  }

  @Test
  void memberAddressesPrintAsTheyParse() {
    for (String text : List.of("127.0.0.1:2551", "localhost:1", "[::1]:2552")) {
      assertThat(MemberAddress.parse(text).toString()).isEqualTo(text);
    }
  }

  @Test
  void batchesAndSnapshotChunksMustFitInAnArteryFrame() {
    Config system = ConfigFactory.load();
    FrameLimits.check(system, RaftSettings.defaults());

    RaftSettings big = RaftSettings.defaults().withAppendLimits(1024, 300 * 1024, 8);
    assertThatThrownBy(() -> FrameLimits.check(system, big))
        .hasMessageContaining("keel.raft.max-bytes-per-append = 307200 bytes")
        .hasMessageContaining("pekko.remote.artery.advanced.maximum-frame-size = 262144 bytes")
        .hasMessageContaining("at most 253952");
    RaftSettings bigChunks = RaftSettings.defaults().withSnapshots(0, 256 * 1024);
    assertThatThrownBy(() -> FrameLimits.check(system, bigChunks))
        .hasMessageContaining("keel.raft.snapshot-chunk-bytes");
    FrameLimits.check(
        ConfigFactory.parseString("pekko.remote.artery.advanced.maximum-frame-size = 1 MiB")
            .withFallback(system),
        big);
  }
}
