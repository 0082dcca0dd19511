package dev.keel.raft.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;

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
