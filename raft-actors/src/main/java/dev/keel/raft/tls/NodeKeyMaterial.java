package dev.keel.raft.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * What a node presents in the TLS handshake: its private key and its certificate chain (the node's
 * certificate first, then the CA that issued it).
 *
 * @param name the node's name (the certificate's CN)
 * @param privateKey the node's private key
 * @param chain the node's certificate, then its issuer
 */
public record NodeKeyMaterial(String name, PrivateKey privateKey, List<X509Certificate> chain) {

  /** The alias of the key entry in PKCS#12 files written by {@link #writePkcs12}. */
  public static final String KEY_ALIAS = "node";

  /** Copies the chain; it must hold at least the node's certificate. */
  public NodeKeyMaterial {
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a node's certificate chain cannot be empty");
    }
  }

  /**
   * Reads a node's key and certificate chain from PEM files, as {@link #writePem} writes them, and
   * checks that the key belongs to the certificate. The name is the certificate's CN.
   *
   * @param keyPassword the password of an encrypted key; empty for a plain one
   * @throws IOException if a file cannot be read or parsed, or the key does not belong to the
   *     certificate
   */
  public static NodeKeyMaterial readPem(Path keyFile, Path certificateFile, char[] keyPassword)
      throws IOException {
    PrivateKey key = PemFiles.readPrivateKey(keyFile, keyPassword);
    List<X509Certificate> chain = PemFiles.readCertificates(certificateFile);
    try {
      KeyMaterial.checkKeyMatches(key, chain.get(0), List.of(keyFile, certificateFile));
    } catch (GeneralSecurityException e) {
      throw new IOException(
          "cannot check that " + keyFile + " belongs to " + certificateFile + ": " + e, e);
    }
    return new NodeKeyMaterial(commonName(chain.get(0)), key, chain);
  }

  /** The CN of a certificate's subject, or its whole subject if it has no CN. */
  public static String commonName(X509Certificate certificate) {
    String subject = certificate.getSubjectX500Principal().getName();
    try {
      for (Rdn rdn : new LdapName(subject).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return String.valueOf(rdn.getValue());
        }
      }
    } catch (InvalidNameException e) {
      // an X.500 name the JDK wrote always parses; fall back to the whole subject
    }
    return subject;
  }

  /** The node's own certificate. */
  public X509Certificate certificate() {
    return chain.get(0);
  }

  /**
   * Writes the key (PKCS#8 PEM, owner-only) and the certificate chain (PEM): the {@code key-file}
   * and {@code cert-file} of {@code keel.node.tls} with {@code format = pem}.
   */
  public void writePem(Path keyFile, Path certificateFile) throws IOException {
    PemFiles.writePrivateKey(keyFile, privateKey);
    PemFiles.writeCertificates(certificateFile, chain);
  }

  /**
   * Writes key and chain to a PKCS#12 key store protected by {@code password} (the key has the same
   * password, as Pekko and the JDK expect): the {@code key-store} of {@code keel.node.tls} with
   * {@code format = pkcs12}.
   */
  public void writePkcs12(Path file, char[] password) throws IOException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, password);
      store.setKeyEntry(KEY_ALIAS, privateKey, password, chain.toArray(Certificate[]::new));
      writeStore(file, store, password);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot write the PKCS#12 key store " + file, e);
    }
  }

  /**
   * Writes CA certificates to a PKCS#12 trust store protected by {@code password}: the {@code
   * trust-store} of {@code keel.node.tls} with {@code format = pkcs12}.
   */
  public static void writePkcs12TrustStore(
      Path file, List<X509Certificate> authorities, char[] password) throws IOException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, password);
      for (int i = 0; i < authorities.size(); i++) {
        store.setCertificateEntry("ca-" + i, authorities.get(i));
      }
      writeStore(file, store, password);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot write the PKCS#12 trust store " + file, e);
    }
  }

  private static void writeStore(Path file, KeyStore store, char[] password)
      throws IOException, GeneralSecurityException {
    PemFiles.writeAtomically(file, true, out -> store.store(out, password));
  }
}
