package dev.keel.raft.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Reads and writes PEM files: certificates (one or many, e.g. a CA bundle) and private keys
 * (PKCS#8, PKCS#1 RSA, SEC1 EC, and encrypted PKCS#8 or OpenSSL-encrypted keys with a password).
 * Files are written atomically (a temporary file renamed into place), so a node that reloads its
 * key material never reads a half-written file; private keys get owner-only permissions where the
 * file system supports them.
 */
public final class PemFiles {

  // Used as an explicit provider only (never registered with the JVM): decrypting keys with
  // algorithms the JDK lacks.
  private static final BouncyCastleProvider BOUNCY_CASTLE = new BouncyCastleProvider();

  private PemFiles() {}

  /**
   * Every certificate in a PEM file, in file order.
   *
   * @throws IOException if the file cannot be read, holds no certificate, or holds something else
   */
  public static List<X509Certificate> readCertificates(Path file) throws IOException {
    List<X509Certificate> certificates = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
        if (!(item instanceof X509CertificateHolder holder)) {
          throw new IOException(
              file + " holds a " + item.getClass().getSimpleName() + ", not a certificate");
        }
        certificates.add(toJdk(holder));
      }
    }
    if (certificates.isEmpty()) {
      throw new IOException(file + " holds no PEM certificate");
    }
    return List.copyOf(certificates);
  }

  /**
   * The private key in a PEM file.
   *
   * @param password for an encrypted key; empty for a plain one
   * @throws IOException if the file cannot be read, holds no key, or cannot be decrypted
   */
  public static PrivateKey readPrivateKey(Path file, char[] password) throws IOException {
    Object item;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      item = parser.readObject();
    }
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try {
      if (item instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (item instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
      if (item instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
        requirePassword(file, password);
        return converter.getPrivateKey(
            encrypted.decryptPrivateKeyInfo(
                new JceOpenSSLPKCS8DecryptorProviderBuilder()
                    .setProvider(BOUNCY_CASTLE)
                    .build(password)));
      }
      if (item instanceof PEMEncryptedKeyPair encrypted) {
        requirePassword(file, password);
        return converter
            .getKeyPair(
                encrypted.decryptKeyPair(
                    new JcePEMDecryptorProviderBuilder()
                        .setProvider(BOUNCY_CASTLE)
                        .build(password)))
            .getPrivate();
      }
    } catch (OperatorCreationException | PKCSException e) {
      throw new IOException("cannot decrypt the private key in " + file + ": " + e.getMessage(), e);
    }
    throw new IOException(
        file
            + (item == null
                ? " holds no PEM private key"
                : " holds a " + item.getClass().getSimpleName() + ", not a private key"));
  }

  /** Writes certificates to a PEM file (a node's chain, or a bundle of CA certificates). */
  public static void writeCertificates(Path file, List<X509Certificate> certificates)
      throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
      for (X509Certificate certificate : certificates) {
        pem.writeObject(certificate);
      }
    }
    writeText(file, text.toString(), false);
  }

  /** Writes an unencrypted PKCS#8 private key to a PEM file readable by its owner only. */
  public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
      pem.writeObject(new JcaPKCS8Generator(key, null).generate());
    }
    writeText(file, text.toString(), true);
  }

  /** Writes a file's content to a stream. */
  @FunctionalInterface
  interface Content {
    void writeTo(OutputStream out) throws IOException, GeneralSecurityException;
  }

  /**
   * Replaces {@code file} with what {@code content} writes, in one rename, so readers see the old
   * or the new file, never a mix.
   *
   * @param secret whether only the owner may read the file
   */
  static void writeAtomically(Path file, boolean secret, Content content)
      throws IOException, GeneralSecurityException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temporary = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      if (secret) {
        ownerOnly(temporary);
      }
      try (OutputStream out = Files.newOutputStream(temporary)) {
        content.writeTo(out);
      }
      Files.move(
          temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static void writeText(Path file, String text, boolean secret) throws IOException {
    try {
      writeAtomically(file, secret, out -> out.write(text.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IOException(e); // writing text raises none
    }
  }

  static void ownerOnly(Path file) throws IOException {
    if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
  }

  /** The certificate as the JDK's own class, so it works with every JDK key store and engine. */
  static X509Certificate toJdk(X509CertificateHolder holder) throws IOException {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
    } catch (CertificateException e) {
      throw new IOException("not a valid X.509 certificate: " + e.getMessage(), e);
    }
  }

  static X509Certificate toJdk(X509Certificate certificate) throws GeneralSecurityException {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(certificate.getEncoded()));
  }

  private static void requirePassword(Path file, char[] password) throws IOException {
    if (password.length == 0) {
      throw new IOException(file + " holds an encrypted private key, and no password is set");
    }
  }
}
