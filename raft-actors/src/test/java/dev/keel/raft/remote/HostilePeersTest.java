package dev.keel.raft.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.tls.ClusterCa;
import dev.keel.raft.tls.LogCapture;
import dev.keel.raft.tls.TestContexts;
import dev.keel.raft.tls.TlsHandshakeFailure;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes that must not get in, and an authenticated one that misbehaves, against a running
 * three-member cluster over mutual TLS that keeps committing writes all along. Every refusal is
 * logged by the refusing member with the reason, and nothing the intruders send reaches a peer: a
 * vote request in a huge term would raise the members' terms.
 */
class HostilePeersTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir static Path dir;
  private static TlsCluster cluster;
  private static BackgroundWrites writes;
  private static LogCapture tlsLog;
  private static final List<TlsHandshakeFailure> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startCluster() {
    tlsLog = LogCapture.of("dev.keel.raft.tls");
    cluster = TlsCluster.start(dir, 3, false, ConfigFactory.empty());
    ActorRef<TlsHandshakeFailure> listener =
        cluster
            .node("n1")
            .system
            .systemActorOf(
                Behaviors.receiveMessage(
                    event -> {
                      events.add(event);
                      return Behaviors.same();
                    }),
                "tls-failures",
                org.apache.pekko.actor.typed.Props.empty());
    cluster
        .node("n1")
        .system
        .eventStream()
        .tell(new EventStream.Subscribe<>(TlsHandshakeFailure.class, listener));
    writes = new BackgroundWrites(cluster.client(), "w");
    writes.awaitProgress(5, Duration.ofSeconds(30));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    try {
      writes.stop();
      assertThat(writes.failures()).as("writes during the intrusions").isEmpty();
      assertThat(writes.committed()).isGreaterThan(20);
    } finally {
      cluster.close();
      tlsLog.close();
    }
  }

  @Test
  void aNodeWithACertificateFromAnotherCaIsRefused() {
    ClusterCa other = ClusterCa.generate("some-other-ca", Duration.ofDays(1));
    cluster.pki.writeNode(
        "rogue-other-ca",
        other.issue("rogue-other-ca", TestPki.LOOPBACK, Duration.ofDays(1)),
        List.of(cluster.pki.ca));
    // It presents its certificate although the member names only its own CA as acceptable (a JDK
    // client would present none; an attacker does not care).
    assertRefused(
        "rogue-other-ca",
        ConfigFactory.parseString(
            "pekko.remote.artery.ssl.ssl-engine-provider = \""
                + ContextSslEngineProvider.ForcedCertificate.class.getName()
                + "\""),
        "untrusted certificate 'CN=rogue-other-ca'",
        "PKIX path");
  }

  @Test
  void aNodeWithAnExpiredCertificateIsRefused() {
    cluster.pki.writeNode(
        "rogue-expired", cluster.pki.expired("rogue-expired"), List.of(cluster.pki.ca));
    assertRefused("rogue-expired", ConfigFactory.empty(), "'CN=rogue-expired'", "EXPIRED");
  }

  @Test
  void aNodeWithoutACertificateIsRefused() {
    cluster.pki.writeNode("rogue-no-cert"); // only to satisfy its settings: its TLS presents none
    assertRefused(
        "rogue-no-cert",
        ConfigFactory.parseString(
            "pekko.remote.artery.ssl.ssl-engine-provider = \""
                + ContextSslEngineProvider.CertificateFree.class.getName()
                + "\""),
        "presented no certificate");
  }

  @Test
  void aPlaintextNodeIsRefused() {
    cluster.pki.writeNode("rogue-plaintext");
    Config node = ConfigFactory.parseString(NodeSettings.PLAINTEXT_SETTING + " = on");
    assertRefused("rogue-plaintext", node, ConfigFactory.empty(), "does not speak TLS");
  }

  @Test
  void randomBytesAndATlsClientSpeakingGarbageAreRefusedAndTheNodeKeepsServing() throws Exception {
    MemberAddress n1 = cluster.addresses().get("n1");
    long before = writes.committed();
    tlsLog.clear();
    byte[] garbage = new byte[4096];
    new Random(7).nextBytes(garbage);
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), n1.port())) {
      socket.getOutputStream().write(garbage);
      socket.getOutputStream().flush();
    }
    Poll.until(
        "the refusal of random bytes",
        WAIT,
        () -> tlsLog.contains("refused an inbound TLS connection on 127.0.0.1:" + n1.port()));

    tlsLog.clear();
    try (SSLSocket socket =
        (SSLSocket)
            TestContexts.certificateFree()
                .getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), n1.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(garbage); // the handshake happens here; the member refuses it
      out.flush();
    } catch (IOException e) {
      // the member closed the connection: expected
    }
    Poll.until(
        "the refusal of the TLS client", WAIT, () -> tlsLog.contains("presented no certificate"));
    writes.awaitProgress(5, WAIT);
    assertThat(writes.committed()).isGreaterThan(before);
    assertThat(events).anyMatch(e -> !e.outbound() && e.endpoint().endsWith(":" + n1.port()));
  }

  @Test
  void anAuthenticatedPeerSendingHostileFramesIsIgnoredAndNothingUnregisteredIsCreated()
      throws Exception {
    cluster.pki.writeNode("insider");
    Config pekko =
        ConfigFactory.parseString(
            """
            pekko.actor.serializers.keel-kryo = "dev.keel.raft.remote.HostileSerializers$Keel"
            pekko.actor.serializers.java = "dev.keel.raft.remote.HostileSerializers$Java"
            pekko.actor.serialization-bindings {
              "dev.keel.raft.remote.HostileSerializers$KeelFrame" = keel-kryo
              "dev.keel.raft.remote.HostileSerializers$JavaFrame" = java
            }
            pekko.remote.artery.advanced.maximum-frame-size = 2 MiB
            """);
    List<String> canaryBefore = CanaryWitness.events();
    try (LogCapture artery = LogCapture.of("org.apache.pekko.remote.artery");
        Rogue insider = Rogue.start(cluster, "insider", ConfigFactory.empty(), pekko)) {
      ActorRef<RaftPeer.Command> n1 = insider.peers.get("n1");
      // Authenticated: it can talk to n1.
      PeerStatus status =
          AskPattern.<RaftPeer.Command, PeerStatus>ask(
                  n1, RaftPeer.GetStatus::new, WAIT, insider.system.scheduler())
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      assertThat(status.name()).isEqualTo("n1");

      ActorRef<Object> raw = n1.unsafeUpcast();
      byte[] random = new byte[64];
      new Random(3).nextBytes(random);
      raw.tell(new HostileSerializers.KeelFrame("202", random)); // not an AppendEntries
      raw.tell(new HostileSerializers.KeelFrame(CanaryWitness.CANARY, random)); // a class name
      raw.tell(new HostileSerializers.KeelFrame("4242", random)); // an unregistered id
      raw.tell(new HostileSerializers.KeelFrame("300", writeNamingTheCanary()));
      raw.tell(new HostileSerializers.JavaFrame(javaSerializedCanary()));
      n1.tell(new RaftPeer.Write<>("x".repeat(600_000), insider.system.deadLetters()));

      for (String manifest : List.of("202", CanaryWitness.CANARY, "4242", "300")) {
        Poll.until(
            "n1 drops the frame with manifest " + manifest,
            WAIT,
            () ->
                artery.contains(
                    "Failed to deserialize", "serializer id [7400]", "[" + manifest + "]"));
      }
      Poll.until(
          "n1 drops the Java-serialized frame",
          WAIT,
          () -> artery.contains("Failed to deserialize", "serializer id [1]"));
      Poll.until(
          "n1 drops the oversized write",
          WAIT,
          () -> artery.contains("refuses a dev.keel.raft.RaftPeer$Write of 6000"));
      assertThat(artery.lines())
          .filteredOn(line -> line.contains("Failed to deserialize"))
          .allMatch(line -> line.contains(insider.system.address().toString()));
    }
    writes.awaitProgress(5, WAIT);
    assertThat(CanaryWitness.events()).isEqualTo(canaryBefore);
    assertThat(cluster.localRead("n1")).noneMatch(entry -> entry.length() > 1000);

    // The witness works: creating a canary is seen.
    Class.forName(CanaryWitness.CANARY).getDeclaredConstructor().newInstance();
    assertThat(CanaryWitness.events()).contains("constructed");
  }

  private static void assertRefused(String name, Config pekko, String... expected) {
    assertRefused(name, ConfigFactory.empty(), pekko, expected);
  }

  private static void assertRefused(String name, Config node, Config pekko, String... expected) {
    long before = writes.committed();
    tlsLog.clear();
    try (Rogue rogue = Rogue.start(cluster, name, node, pekko)) {
      assertThat(rogue.tryEveryMember()).as("a member answered " + name).isFalse();
      Poll.until(
          "a member logs the refusal of " + name + " (" + String.join(", ", expected) + ")",
          WAIT,
          () -> tlsLog.contains(expected));
    }
    assertThat(tlsLog.lines())
        .filteredOn(line -> line.contains("Keel TLS") && line.contains(expected[0]))
        .allMatch(line -> line.contains("refused an inbound TLS connection on 127.0.0.1:"));
    for (String member : cluster.names) {
      PeerStatus status = cluster.status(member);
      assertThat(status).isNotNull();
      assertThat(status.term()).as("term of %s", member).isLessThan(Rogue.ROGUE_TERM);
    }
    writes.awaitProgress(3, WAIT);
    assertThat(writes.committed()).isGreaterThan(before);
  }

  /**
   * A client Write whose command is given by class name (Kryo's marker for "a class name follows"),
   * naming the canary.
   */
  private static byte[] writeNamingTheCanary() {
    byte[] name = CanaryWitness.CANARY.getBytes(StandardCharsets.US_ASCII);
    byte[] frame = new byte[name.length + 2];
    frame[0] = 1; // NAME: a class name follows
    frame[1] = 0; // name id
    System.arraycopy(name, 0, frame, 2, name.length);
    frame[frame.length - 1] |= (byte) 0x80; // Kryo's ASCII strings end with the high bit set
    return frame;
  }

  /** Java serialization of a canary, written by hand so this JVM never loads the class. */
  private static byte[] javaSerializedCanary() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeShort(0xACED); // STREAM_MAGIC
    out.writeShort(5); // STREAM_VERSION
    out.writeByte(0x73); // TC_OBJECT
    out.writeByte(0x72); // TC_CLASSDESC
    out.writeUTF(CanaryWitness.CANARY);
    out.writeLong(1L); // serialVersionUID
    out.writeByte(0x02); // SC_SERIALIZABLE
    out.writeShort(0); // no fields
    out.writeByte(0x78); // TC_ENDBLOCKDATA
    out.writeByte(0x70); // TC_NULL: no superclass description
    out.flush();
    return bytes.toByteArray();
  }
}
