package dev.keel.raft.tls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

/**
 * Opens a TLS connection to a node's remoting port with given key material, to see what the node
 * presents and whether it lets that material in, without an actor system.
 */
public final class TlsProbe {

  private TlsProbe() {}

  /** What a probe saw. */
  public record Seen(X509Certificate presented, boolean accepted) {}

  /**
   * Connects to {@code host:port} presenting {@code material}: returns the certificate the node
   * presented and whether it then kept the connection (accepted {@code material}) rather than
   * refusing it.
   */
  public static Seen connect(String host, int port, NodeKeyMaterial material)
      throws IOException, GeneralSecurityException {
    // A node that refuses the material may close the connection while the client is still
    // writing its last handshake flight: that surfaces as a plain SocketException (broken pipe,
    // connection reset) before the client has seen the refusal. Ask again; a refusal usually
    // arrives as an alert the next time.
    for (int attempt = 1; ; attempt++) {
      try {
        return connectOnce(host, port, material);
      } catch (SocketException e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  private static Seen connectOnce(String host, int port, NodeKeyMaterial material)
      throws IOException, GeneralSecurityException {
    try (SSLSocket socket =
        (SSLSocket) TestContexts.forcing(material).getSocketFactory().createSocket()) {
      socket.connect(new InetSocketAddress(host, port), 5_000);
      socket.setSoTimeout(1_000);
      socket.startHandshake();
      X509Certificate presented = (X509Certificate) socket.getSession().getPeerCertificates()[0];
      // TLS 1.3: the server checks the client's certificate after the client finished; a refusal
      // arrives as an alert on the first read. A node that accepted waits for Artery's header.
      try {
        return new Seen(presented, socket.getInputStream().read() != -1);
      } catch (SocketTimeoutException e) {
        return new Seen(presented, true);
      } catch (SSLException e) {
        return new Seen(presented, false);
      }
    }
  }
}
