package dev.keel.examples.kv;

import dev.keel.raft.tls.ClusterCa;
import dev.keel.raft.tls.NodeKeyMaterial;
import dev.keel.raft.tls.PemFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The TLS directory of a KV cluster, as {@code kv-node init-tls DIR} makes it:
 *
 * <pre>
 * DIR/ca.crt            the cluster CA's certificate: what every node trusts
 * DIR/ca.key            the CA's key: only needed to issue certificates; keep it off the nodes
 * DIR/cluster-id        the cluster's identity, recorded in every node's data directory
 * DIR/NAME/node.key     node NAME's private key (owner-readable only)
 * DIR/NAME/node.crt     node NAME's certificate (CN=NAME), issued by the CA
 * </pre>
 */
final class TlsDir {

  static final String CA_CERT = "ca.crt";
  static final String CA_KEY = "ca.key";
  static final String CLUSTER_ID = "cluster-id";
  static final String NODE_KEY = "node.key";
  static final String NODE_CERT = "node.crt";

  private TlsDir() {}

  /**
   * What a node uses from the directory, checked.
   *
   * @param key the node's private key file
   * @param certificate the node's certificate file
   * @param ca the trusted CA certificates
   * @param clusterId the cluster's identity
   */
  record NodeFiles(Path key, Path certificate, Path ca, String clusterId) {}

  /**
   * Checks node {@code name}'s material in {@code dir}: every file readable, the key belongs to the
   * certificate, the certificate is {@code name}'s, valid now and issued by a CA in {@code ca.crt}.
   *
   * @throws StartupException ({@link StartupException#TLS}) saying what is wrong
   */
  static NodeFiles check(Path dir, String name) throws StartupException {
    if (!Files.isDirectory(dir)) {
      throw tls(
          "--tls-dir " + dir + " is not a directory (make one with: kv-node init-tls " + dir + ")");
    }
    Path ca = dir.resolve(CA_CERT);
    Path key = dir.resolve(name).resolve(NODE_KEY);
    Path certificate = dir.resolve(name).resolve(NODE_CERT);
    for (Path file : List.of(ca, key, certificate)) {
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw tls(
            "TLS material of "
                + name
                + " incomplete: "
                + file
                + " is missing or unreadable (kv-node init-tls "
                + dir
                + " --nodes "
                + name
                + " issues it)");
      }
    }
    List<X509Certificate> authorities = read(() -> PemFiles.readCertificates(ca));
    NodeKeyMaterial material = read(() -> NodeKeyMaterial.readPem(key, certificate, new char[0]));
    X509Certificate own = material.certificate();
    if (!material.name().equals(name)) {
      throw tls(certificate + " is the certificate of '" + material.name() + "', not of " + name);
    }
    try {
      own.checkValidity();
    } catch (CertificateExpiredException | CertificateNotYetValidException e) {
      throw tls(
          certificate
              + " is not valid now (valid "
              + own.getNotBefore().toInstant()
              + " to "
              + own.getNotAfter().toInstant()
              + ")");
    }
    if (authorities.stream().noneMatch(authority -> issued(authority, own))) {
      throw tls(
          certificate
              + " was not issued by a CA in "
              + ca
              + " (its issuer: '"
              + own.getIssuerX500Principal().getName()
              + "'): the files come from different clusters");
    }
    return new NodeFiles(key, certificate, ca, clusterId(dir, authorities.get(0)));
  }

  /**
   * Makes what is missing in {@code dir}: the CA (and a new cluster id) unless one exists, then key
   * material for every node in {@code nodes} that has none. Existing files are never replaced.
   *
   * @param hosts host names and IP addresses the nodes' certificates name
   * @return one line per thing made or kept, for the operator
   */
  static List<String> init(Path dir, List<String> nodes, List<String> hosts, Duration validity)
      throws IOException, StartupException {
    List<String> report = new ArrayList<>();
    Files.createDirectories(dir);
    Path caCert = dir.resolve(CA_CERT);
    Path caKey = dir.resolve(CA_KEY);
    List<String> missing =
        nodes.stream().filter(n -> !Files.exists(dir.resolve(n).resolve(NODE_KEY))).toList();
    ClusterCa ca = null;
    if (!Files.exists(caCert)) {
      ca = ClusterCa.generate("keel-kv-ca", Duration.ofDays(3650));
      ca.writePrivateKey(caKey);
      ca.writeCertificate(caCert);
      Files.writeString(dir.resolve(CLUSTER_ID), UUID.randomUUID() + "\n", StandardCharsets.UTF_8);
      report.add("created the cluster CA " + caCert + " (key " + caKey + ") and " + CLUSTER_ID);
    } else {
      report.add("kept the existing CA " + caCert);
      if (!missing.isEmpty()) {
        if (!Files.isReadable(caKey)) {
          throw tls("cannot issue certificates for " + missing + ": " + caKey + " is missing");
        }
        ca = ClusterCa.load(caCert, caKey);
      }
    }
    for (String node : nodes) {
      Path nodeDir = dir.resolve(node);
      if (!missing.contains(node)) {
        report.add("kept " + nodeDir.resolve(NODE_KEY));
        continue;
      }
      if (ca == null) {
        throw new IllegalStateException("the CA is loaded whenever a node is missing");
      }
      ca.issue(node, hosts, validity)
          .writePem(nodeDir.resolve(NODE_KEY), nodeDir.resolve(NODE_CERT));
      report.add(
          "issued "
              + nodeDir.resolve(NODE_CERT)
              + " for "
              + node
              + " ("
              + String.join(", ", hosts)
              + ")");
    }
    return report;
  }

  /** The cluster id: the {@code cluster-id} file, else derived from the first CA certificate. */
  private static String clusterId(Path dir, X509Certificate firstCa) throws StartupException {
    Path file = dir.resolve(CLUSTER_ID);
    if (Files.exists(file)) {
      String id = read(() -> Files.readString(file, StandardCharsets.UTF_8)).trim();
      if (id.isEmpty()) {
        throw tls(file + " is empty");
      }
      return id;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(firstCa.getEncoded());
      return "ca-sha256-" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (GeneralSecurityException e) {
      throw tls("cannot fingerprint the CA certificate: " + e.getMessage());
    }
  }

  private static boolean issued(X509Certificate authority, X509Certificate certificate) {
    if (!authority.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
      return false;
    }
    try {
      certificate.verify(authority.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private interface Reading<T> {
    T read() throws IOException;
  }

  private static <T> T read(Reading<T> reading) throws StartupException {
    try {
      return reading.read();
    } catch (IOException e) {
      throw tls("unreadable TLS material: " + e.getMessage());
    }
  }

  private static StartupException tls(String message) {
    return new StartupException(StartupException.TLS, message);
  }
}
