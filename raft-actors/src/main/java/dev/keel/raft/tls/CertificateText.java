package dev.keel.raft.tls;

import java.security.cert.X509Certificate;
import java.time.Instant;

/** Certificates described in one line, for log lines and error messages. */
final class CertificateText {

  private CertificateText() {}

  /** Subject, serial number, validity and issuer. */
  static String describe(X509Certificate certificate) {
    Instant notAfter = certificate.getNotAfter().toInstant();
    return "'"
        + certificate.getSubjectX500Principal().getName()
        + "' (serial "
        + certificate.getSerialNumber().toString(16)
        + ", valid "
        + certificate.getNotBefore().toInstant()
        + " to "
        + notAfter
        + (Instant.now().isAfter(notAfter) ? " EXPIRED" : "")
        + ", issued by '"
        + certificate.getIssuerX500Principal().getName()
        + "')";
  }

  /** The first certificate of a chain a peer presented, or that it presented none. */
  static String describeChain(X509Certificate[] chain) {
    return chain == null || chain.length == 0 ? "no certificate" : describe(chain[0]);
  }
}
