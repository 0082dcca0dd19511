package dev.keel.examples.kv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.examples.remote.LocalProcessCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kv-node} refuses to start, with one line on stderr and the documented exit code, on bad
 * flags, unusable TLS material, a data directory that is not this node's, and ports in use. The
 * checks run before any actor system starts, so these tests run {@code kv-node} in this JVM.
 */
class KvNodeCommandTest {

  @TempDir Path dir;

  private Path tls;
  private int raftPort;
  private int httpPort;

  @BeforeEach
  void makeTlsMaterial() throws Exception {
    tls = dir.resolve("tls");
    TlsDir.init(tls, List.of("n1", "n2"), List.of("127.0.0.1"), Duration.ofDays(1));
    List<Integer> ports = LocalProcessCluster.freePorts(2);
    raftPort = ports.get(0);
    httpPort = ports.get(1);
  }

  @Test
  void missingAndUnknownFlagsExit2() {
    assertRefused(run("--name", "n1"), StartupException.USAGE, "missing --raft-port, --http-port");
    assertRefused(run("--nme", "n1"), StartupException.USAGE, "Unknown options: '--nme'");
    assertRefused(
        run(flags("n1", "--raft-port", "notaport")), StartupException.USAGE, "--raft-port");
  }

  @Test
  void peersThatDoNotListTheNodeOrAreMalformedExit2() {
    assertRefused(run(flags("n3")), StartupException.USAGE, "--peers must include this node, n3");
    assertRefused(
        run(flags("n1", "--peers", "n1-127.0.0.1:1")), StartupException.USAGE, "NAME@HOST:PORT");
    assertRefused(
        run(flags("n1", "--peers", "n1@127.0.0.1:" + raftPort + ",n1@127.0.0.1:9")),
        StartupException.USAGE,
        "lists n1 twice");
    assertRefused(
        run(flags("n1", "--raft-port", String.valueOf(raftPort + 1))),
        StartupException.USAGE,
        "differs from n1's entry in --peers");
  }

  @Test
  void missingOrUnreadableTlsMaterialExits3() throws IOException {
    assertRefused(
        run(flags("n1", "--tls-dir", dir.resolve("nowhere").toString())),
        StartupException.TLS,
        "is not a directory");
    Files.delete(tls.resolve("n1").resolve(TlsDir.NODE_KEY));
    assertRefused(run(flags("n1")), StartupException.TLS, "node.key is missing or unreadable");
    Files.writeString(tls.resolve("n1").resolve(TlsDir.NODE_KEY), "not a key");
    assertRefused(run(flags("n1")), StartupException.TLS, "unreadable TLS material");
  }

  @Test
  void mismatchedTlsMaterialExits3() throws Exception {
    Path n1 = tls.resolve("n1");
    Path n2 = tls.resolve("n2");
    Files.copy(
        n2.resolve(TlsDir.NODE_KEY),
        n1.resolve(TlsDir.NODE_KEY),
        StandardCopyOption.REPLACE_EXISTING);
    assertRefused(run(flags("n1")), StartupException.TLS, "does not belong to the certificate");

    Files.copy(
        n2.resolve(TlsDir.NODE_CERT),
        n1.resolve(TlsDir.NODE_CERT),
        StandardCopyOption.REPLACE_EXISTING);
    assertRefused(run(flags("n1")), StartupException.TLS, "is the certificate of 'n2', not of n1");

    Path other = dir.resolve("other-cluster");
    TlsDir.init(other, List.of("n1"), List.of("127.0.0.1"), Duration.ofDays(1));
    for (String file : List.of(TlsDir.NODE_KEY, TlsDir.NODE_CERT)) {
      Files.copy(
          other.resolve("n1").resolve(file), n1.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    assertRefused(run(flags("n1")), StartupException.TLS, "was not issued by a CA in");
  }

  @Test
  void aDataDirectoryOfAnotherNodeOrClusterOrInUseExits4() throws Exception {
    String cluster = TlsDir.check(tls, "n1").clusterId();
    Path data = dir.resolve("data");
    DataDir.claim(data, cluster, "n2").close();
    assertRefused(
        run(flags("n1")), StartupException.DATA_DIR, "holds the data of node n2, not of n1");

    Path otherCluster = dir.resolve("data-of-another-cluster");
    DataDir.claim(otherCluster, "another-cluster-id", "n1").close();
    assertRefused(
        run(flags("n1", "--data-dir", otherCluster.toString())),
        StartupException.DATA_DIR,
        "holds the data of another cluster");

    Path foreign = Files.createDirectories(dir.resolve("foreign"));
    Files.writeString(foreign.resolve("notes.txt"), "mine");
    assertRefused(
        run(flags("n1", "--data-dir", foreign.toString())),
        StartupException.DATA_DIR,
        "is not empty and is not a kv-node data directory");

    Path mine = dir.resolve("mine");
    try (DataDir held = DataDir.claim(mine, cluster, "n1")) {
      assertRefused(
          run(flags("n1", "--data-dir", mine.toString())),
          StartupException.DATA_DIR,
          "is in use by another kv-node process");
    }
  }

  @Test
  void portsInUseExit5NamingThePort() throws IOException {
    try (ServerSocket taken = new ServerSocket(raftPort, 1, InetAddress.getLoopbackAddress())) {
      assertRefused(
          run(flags("n1")), StartupException.PORT_IN_USE, "--raft-port " + raftPort + " is in use");
    }
    try (ServerSocket taken = new ServerSocket(httpPort, 1, InetAddress.getLoopbackAddress())) {
      assertRefused(
          run(flags("n1")), StartupException.PORT_IN_USE, "--http-port " + httpPort + " is in use");
    }
  }

  @Test
  void initTlsKeepsWhatExistsAndIssuesMaterialForNewNodes() throws Exception {
    byte[] ca = Files.readAllBytes(tls.resolve(TlsDir.CA_CERT));
    byte[] n1Key = Files.readAllBytes(tls.resolve("n1").resolve(TlsDir.NODE_KEY));
    Result result = run("init-tls", tls.toString(), "--nodes", "n1,n4");
    assertThat(result.code()).isZero();
    assertThat(result.out()).contains("kept the existing CA").contains("issued").contains("n4");
    assertThat(Files.readAllBytes(tls.resolve(TlsDir.CA_CERT))).isEqualTo(ca);
    assertThat(Files.readAllBytes(tls.resolve("n1").resolve(TlsDir.NODE_KEY))).isEqualTo(n1Key);
    assertThat(TlsDir.check(tls, "n4").clusterId()).isEqualTo(TlsDir.check(tls, "n1").clusterId());
  }

  /** The README's renewal of a node's certificate (Operations), run as written through bash. */
  @Test
  void theReadmesCertificateRenewalIssuesANewPairFromTheSameCa() throws Exception {
    byte[] oldCertificate = Files.readAllBytes(tls.resolve("n1").resolve(TlsDir.NODE_CERT));
    String clusterId = TlsDir.check(tls, "n1").clusterId();
    Path root = Path.of("").toAbsolutePath().getParent();
    String commands =
        String.join(
            "\n",
            "set -euo pipefail",
            "DIR=\"$1\"",
            "mkdir -p $DIR.renew && cp $DIR/ca.crt $DIR/ca.key $DIR.renew/",
            "examples/kv-store/kv-node init-tls $DIR.renew --nodes n1",
            "mv $DIR.renew/n1/node.crt $DIR/n1/node.crt && mv $DIR.renew/n1/node.key $DIR/n1/node.key");
    ProcessBuilder builder =
        new ProcessBuilder("bash", "-c", commands, "renew", tls.toString())
            .directory(root.toFile())
            .redirectErrorStream(true);
    builder.environment().put("KEEL_KV_CLASSPATH", System.getProperty("java.class.path"));
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("kept the existing CA").contains("issued");

    assertThat(Files.readAllBytes(tls.resolve("n1").resolve(TlsDir.NODE_CERT)))
        .isNotEqualTo(oldCertificate);
    assertThat(TlsDir.check(tls, "n1").clusterId()).isEqualTo(clusterId);
  }

  @Test
  void theProcessPrintsOneLineAndExitsWithTheCode() throws Exception {
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                KvNodeCommand.class.getName(),
                "--name",
                "n9",
                "--raft-port",
                "1",
                "--http-port",
                "2",
                "--data-dir",
                dir.toString(),
                "--peers",
                "n1@127.0.0.1:1",
                "--tls-dir",
                tls.toString())
            .redirectErrorStream(false)
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).isEqualTo(StartupException.USAGE);
    assertThat(err.lines().toList())
        .containsExactly(
            "kv-node: --peers must include this node, n9 (NAME@HOST:PORT); it lists n1");
  }

  private String[] flags(String name, String... overrides) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--name", name,
                "--raft-port", String.valueOf(raftPort),
                "--http-port", String.valueOf(httpPort),
                "--data-dir", dir.resolve("data").toString(),
                "--peers", "n1@127.0.0.1:" + raftPort + ",n2@127.0.0.1:" + (raftPort + 1),
                "--tls-dir", tls.toString()));
    for (int i = 0; i < overrides.length; i += 2) {
      args.set(args.indexOf(overrides[i]) + 1, overrides[i + 1]);
    }
    return args.toArray(String[]::new);
  }

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = KvNodeCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  private static void assertRefused(Result result, int code, String message) {
    assertThat(result.err().lines().toList()).as("stderr").hasSize(1);
    assertThat(result.err()).startsWith("kv-node: ").contains(message);
    assertThat(result.code()).as(result.err()).isEqualTo(code);
  }
}
