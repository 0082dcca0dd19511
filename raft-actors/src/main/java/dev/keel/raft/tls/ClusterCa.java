package dev.keel.raft.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * A certificate authority for a Keel cluster: it signs the certificate every node presents to the
 * others (mutual TLS). Meant for development, tests and small deployments that run their own CA;
 * production clusters often take node certificates from an existing PKI instead, which works the
 * same as long as the files are PEM or PKCS#12.
 *
 * <pre>{@code
 * ClusterCa ca = ClusterCa.generate("keel-dev-ca", Duration.ofDays(3650));
 * ca.writeCertificate(dir.resolve("ca.crt"));
 * ca.issue("n1", List.of("127.0.0.1", "localhost"), Duration.ofDays(365))
 *     .writePem(dir.resolve("n1/node.key"), dir.resolve("n1/node.crt"));
 * }</pre>
 *
 * <p>Keys are EC P-256, signatures SHA256withECDSA. Node certificates are issued directly by the CA
 * (no intermediate), for both TLS client and server use, with the given host names and IP addresses
 * as subject alternative names.
 */
public final class ClusterCa {

  private static final String SIGNATURE = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey privateKey;

  private ClusterCa(X509Certificate certificate, PrivateKey privateKey) {
    this.certificate = certificate;
    this.privateKey = privateKey;
  }

  /**
   * A new CA valid from now for {@code validity}.
   *
   * @param commonName the CA's name (its subject's CN)
   */
  public static ClusterCa generate(String commonName, Duration validity) {
    Instant now = Instant.now();
    return generate(commonName, now.minus(Duration.ofMinutes(5)), now.plus(validity));
  }

  /** A new CA valid between {@code notBefore} and {@code notAfter}. */
  public static ClusterCa generate(String commonName, Instant notBefore, Instant notAfter) {
    try {
      KeyPair keys = newKeyPair();
      X500Principal subject = new X500Principal("CN=" + commonName);
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  subject,
                  serialNumber(),
                  Date.from(notBefore),
                  Date.from(notAfter),
                  subject,
                  keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(keys.getPublic()));
      return new ClusterCa(sign(builder, keys.getPrivate()), keys.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create a CA certificate: " + e.getMessage(), e);
    }
  }

  /**
   * A CA from its PEM certificate and key files, e.g. to issue certificates for nodes added later.
   *
   * @throws IOException if a file cannot be read or parsed
   */
  public static ClusterCa load(Path certificateFile, Path keyFile) throws IOException {
    return new ClusterCa(
        PemFiles.readCertificates(certificateFile).get(0),
        PemFiles.readPrivateKey(keyFile, new char[0]));
  }

  /** The CA's certificate: what every node trusts. */
  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * Issues a node certificate valid from now for {@code validity}.
   *
   * @param nodeName the node's name (its subject's CN)
   * @param subjectAltNames host names and IP addresses the node is reached at
   */
  public NodeKeyMaterial issue(String nodeName, List<String> subjectAltNames, Duration validity) {
    Instant now = Instant.now();
    return issue(nodeName, subjectAltNames, now.minus(Duration.ofMinutes(5)), now.plus(validity));
  }

  /**
   * Issues a node certificate valid between {@code notBefore} and {@code notAfter} (tests use a
   * past {@code notAfter} to make an expired certificate).
   *
   * @param nodeName the node's name (its subject's CN)
   * @param subjectAltNames host names and IP addresses the node is reached at
   */
  public NodeKeyMaterial issue(
      String nodeName, List<String> subjectAltNames, Instant notBefore, Instant notAfter) {
    try {
      KeyPair keys = newKeyPair();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              certificate,
              serialNumber(),
              Date.from(notBefore),
              Date.from(notAfter),
              new X500Principal("CN=" + nodeName),
              keys.getPublic());
      addNodeExtensions(builder, keys.getPublic(), subjectAltNames);
      return new NodeKeyMaterial(
          nodeName, keys.getPrivate(), List.of(sign(builder, privateKey), certificate));
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException(
          "cannot issue a certificate for " + nodeName + ": " + e.getMessage(), e);
    }
  }

  /** Writes the CA's certificate as PEM: the trust anchor to give every node. */
  public void writeCertificate(Path file) throws IOException {
    PemFiles.writeCertificates(file, List.of(certificate));
  }

  /** Writes the CA's private key as PEM, readable by its owner only. Keep it off the nodes. */
  public void writePrivateKey(Path file) throws IOException {
    PemFiles.writePrivateKey(file, privateKey);
  }

  private void addNodeExtensions(
      X509v3CertificateBuilder builder, PublicKey nodeKey, List<String> subjectAltNames)
      throws GeneralSecurityException, CertIOException {
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    builder
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(
            Extension.keyUsage,
            true,
            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
        .addExtension(
            Extension.extendedKeyUsage,
            false,
            new ExtendedKeyUsage(
                new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
        .addExtension(
            Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(nodeKey))
        .addExtension(
            Extension.authorityKeyIdentifier,
            false,
            extensions.createAuthorityKeyIdentifier(certificate));
    if (!subjectAltNames.isEmpty()) {
      GeneralName[] names =
          subjectAltNames.stream()
              .map(
                  name ->
                      IPAddress.isValid(name)
                          ? new GeneralName(GeneralName.iPAddress, name)
                          : new GeneralName(GeneralName.dNSName, name))
              .toArray(GeneralName[]::new);
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
    }
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private static BigInteger serialNumber() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
      throws GeneralSecurityException {
    try {
      ContentSigner contentSigner = new JcaContentSignerBuilder(SIGNATURE).build(signer);
      return PemFiles.toJdk(builder.build(contentSigner));
    } catch (OperatorCreationException | IOException e) {
      throw new GeneralSecurityException("cannot sign a certificate: " + e.getMessage(), e);
    }
  }
}
