package dev.keel.raft.tls;

/**
 * A TLS handshake on Keel's remoting port failed: published on the actor system's event stream (and
 * logged) by {@link KeelSslEngineProvider}, so operators and tests can count refusals.
 *
 * <p>Subscribe with {@code system.eventStream().tell(new EventStream.Subscribe<>(
 * TlsHandshakeFailure.class, listener))}.
 *
 * @param outbound whether this node opened the connection
 * @param endpoint the peer's host:port for an outbound connection; for an inbound one, the local
 *     address the connection was accepted on (Pekko does not tell the TLS engine the peer's address
 *     of an inbound connection; the peer logs its side with this node's address)
 * @param refusedByPeer whether the peer refused this node (it sent a fatal alert), rather than this
 *     node refusing the peer
 * @param reason why, including the certificate the peer presented when there was one
 */
public record TlsHandshakeFailure(
    boolean outbound, String endpoint, boolean refusedByPeer, String reason) {

  /** One line for the log. */
  public String describe() {
    if (refusedByPeer) {
      return outbound
          ? "the peer at " + endpoint + " refused this node's TLS connection: " + reason
          : "a peer connecting to " + endpoint + " refused this node's certificate: " + reason;
    }
    return outbound
        ? "refused the TLS connection to " + endpoint + ": " + reason
        : "refused an inbound TLS connection on " + endpoint + ": " + reason;
  }
}
