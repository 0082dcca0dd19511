package dev.keel.raft.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One loaded version of a node's key material: an {@link SSLContext} built from its key, its
 * certificate chain and the CAs it trusts, and a digest of the files it came from.
 */
final class KeyMaterial {

  // Protects the in-memory key store only; never written anywhere.
  private static final char[] IN_MEMORY_PASSWORD = "keel".toCharArray();

  final SSLContext context;
  final X509Certificate certificate;
  final List<X509Certificate> authorities;
  final byte[] digest;

  private KeyMaterial(
      SSLContext context,
      X509Certificate certificate,
      List<X509Certificate> authorities,
      byte[] digest) {
    this.context = context;
    this.certificate = certificate;
    this.authorities = List.copyOf(authorities);
    this.digest = digest.clone();
  }

  /**
   * Reads the files {@code settings} name and builds the TLS context.
   *
   * @throws IOException if a file cannot be read or parsed, or the key does not belong to the
   *     certificate (for instance because only one of them was replaced yet)
   * @throws GeneralSecurityException if the JDK refuses the material
   */
  static KeyMaterial load(TlsSettings settings, SecureRandom random)
      throws IOException, GeneralSecurityException {
    byte[] digest = digest(settings);
    PrivateKey key;
    List<X509Certificate> chain;
    List<X509Certificate> authorities;
    if (settings.format() == TlsSettings.Format.PEM) {
      key = PemFiles.readPrivateKey(file(settings.keyFile()), settings.keyPassword().toCharArray());
      chain = PemFiles.readCertificates(file(settings.certFile()));
      authorities = PemFiles.readCertificates(file(settings.caFile()));
    } else {
      KeyStore keys =
          readStore(file(settings.keyStore()), settings.keyStorePassword().toCharArray());
      String alias = keyAlias(keys, file(settings.keyStore()));
      key = (PrivateKey) keys.getKey(alias, settings.keyStorePassword().toCharArray());
      chain = x509(keys.getCertificateChain(alias));
      authorities =
          trustedCertificates(
              readStore(file(settings.trustStore()), settings.trustStorePassword().toCharArray()),
              file(settings.trustStore()));
    }
    checkKeyMatches(key, chain.get(0), settings.files());
    SSLContext context = SSLContext.getInstance(settings.protocol());
    context.init(
        keyManagers(key, chain).getKeyManagers(),
        new TrustManager[] {new DescribingTrustManager(trustManager(authorities))},
        random);
    return new KeyMaterial(context, chain.get(0), authorities, digest);
  }

  /**
   * A digest of the content of every key material file: what the periodic check compares, so a file
   * rewritten within the same second, or copied with its old time stamp, is still noticed.
   */
  static byte[] digest(TlsSettings settings) throws IOException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Path path : settings.files()) {
        byte[] content = Files.readAllBytes(path);
        sha.update(
            Integer.toString(content.length).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sha.update(content);
      }
      return sha.digest();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** What this material is, for log lines: subject, serial, validity, issuer and trusted CAs. */
  String describe() {
    return "certificate "
        + CertificateText.describe(certificate)
        + "; trusting "
        + authorities.stream()
            .map(ca -> ca.getSubjectX500Principal().getName())
            .collect(Collectors.joining(" and "));
  }

  /** Whether this node's own certificate is valid at {@code now}. */
  boolean certificateValidAt(Instant now) {
    return !now.isBefore(certificate.getNotBefore().toInstant())
        && !now.isAfter(certificate.getNotAfter().toInstant());
  }

  private static KeyManagerFactory keyManagers(PrivateKey key, List<X509Certificate> chain)
      throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, IN_MEMORY_PASSWORD);
    store.setKeyEntry(
        NodeKeyMaterial.KEY_ALIAS, key, IN_MEMORY_PASSWORD, chain.toArray(Certificate[]::new));
    KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
    factory.init(store, IN_MEMORY_PASSWORD);
    return factory;
  }

  private static X509ExtendedTrustManager trustManager(List<X509Certificate> authorities)
      throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, IN_MEMORY_PASSWORD);
    for (int i = 0; i < authorities.size(); i++) {
      store.setCertificateEntry("ca-" + i, authorities.get(i));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
    factory.init(store);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509ExtendedTrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("the JDK offers no X.509 trust manager");
  }

  // Signs with the key and verifies with the certificate: catches a key file and a certificate
  // file that do not belong together, e.g. while a rotation has replaced only one of them.
  static void checkKeyMatches(PrivateKey key, X509Certificate certificate, List<Path> files)
      throws IOException, GeneralSecurityException {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "EC" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> null;
        };
    if (algorithm == null) {
      return; // another key type: the handshake will tell
    }
    byte[] probe = new byte[32];
    new SecureRandom().nextBytes(probe);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(probe);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(certificate.getPublicKey());
    verifier.update(probe);
    if (!verifier.verify(signature)) {
      throw new IOException(
          "the private key does not belong to the certificate "
              + CertificateText.describe(certificate)
              + " (files: "
              + files
              + "); if they are being replaced, replace both");
    }
  }

  private static KeyStore readStore(Path file, char[] password)
      throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, password);
    }
    return store;
  }

  private static String keyAlias(KeyStore store, Path file)
      throws IOException, GeneralSecurityException {
    for (String alias : Collections.list(store.aliases())) {
      if (store.isKeyEntry(alias)) {
        return alias;
      }
    }
    throw new IOException(file + " holds no private key entry");
  }

  private static List<X509Certificate> trustedCertificates(KeyStore store, Path file)
      throws IOException, GeneralSecurityException {
    List<X509Certificate> trusted = new ArrayList<>();
    for (String alias : Collections.list(store.aliases())) {
      if (store.getCertificate(alias) instanceof X509Certificate certificate) {
        trusted.add(certificate);
      }
    }
    if (trusted.isEmpty()) {
      throw new IOException(file + " holds no certificate");
    }
    return trusted;
  }

  private static List<X509Certificate> x509(Certificate[] chain) throws IOException {
    List<X509Certificate> certificates = new ArrayList<>();
    for (Certificate certificate : chain) {
      if (!(certificate instanceof X509Certificate x509)) {
        throw new IOException("not an X.509 certificate: " + certificate.getType());
      }
      certificates.add(x509);
    }
    return certificates;
  }

  private static Path file(java.nio.file.@org.jspecify.annotations.Nullable Path path) {
    if (path == null) {
      throw new IllegalStateException("TlsSettings checks that the format's files are set");
    }
    return path;
  }
}
