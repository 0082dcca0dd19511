package dev.keel.raft.tls;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.BiFunction;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * The JDK's {@link SSLEngine} with two additions: a handshake that fails (the peer's certificate is
 * refused, it presents none, it does not speak TLS, or it refuses ours) is reported once to {@link
 * Observer}, and an established engine whose key material was retired (replaced, with {@code
 * close-connections-on-change}, or the actor system shutting down) fails its next operation once
 * and is closed, so the connection ends (and is made again with the new material).
 *
 * <p>Pekko's TLS stage drives the engine through {@code wrap}, {@code unwrap} and delegated tasks;
 * the JDK rethrows a failure inside a delegated task from the next {@code wrap} or {@code unwrap},
 * so watching those two sees every handshake failure.
 */
final class ObservedSslEngine extends SSLEngine {

  /** Hears about failed handshakes. */
  interface Observer {
    /**
     * A handshake failed.
     *
     * @param engine the engine (its {@link #outbound()} and {@link #endpoint()} say where)
     * @param failure what the JDK threw
     */
    void handshakeFailed(ObservedSslEngine engine, SSLException failure);
  }

  private final SSLEngine delegate;
  private final boolean outbound;
  private final String endpoint;
  private final KeyGeneration generation;
  private final Observer observer;
  private volatile boolean established;
  private volatile boolean reported;
  private volatile boolean closedByKeel;

  ObservedSslEngine(
      SSLEngine delegate,
      boolean outbound,
      String endpoint,
      KeyGeneration generation,
      Observer observer) {
    super(delegate.getPeerHost(), delegate.getPeerPort());
    this.delegate = delegate;
    this.outbound = outbound;
    this.endpoint = endpoint;
    this.generation = generation;
    this.observer = observer;
  }

  /** Whether this node opened the connection. */
  boolean outbound() {
    return outbound;
  }

  /** The remote host:port for an outbound connection, the local bind address for an inbound one. */
  String endpoint() {
    return endpoint;
  }

  @Override
  public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst)
      throws SSLException {
    return observe(() -> delegate.wrap(srcs, offset, length, dst));
  }

  @Override
  public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length)
      throws SSLException {
    return observe(() -> delegate.unwrap(src, dsts, offset, length));
  }

  private SSLEngineResult observe(OperationCall call) throws SSLException {
    if (established && !closedByKeel && generation.retired()) {
      // Like the JDK's engine after a failure: throw once, then answer CLOSED. Pekko's TLS stage
      // calls the engine again after an exception; throwing every time would recurse forever.
      closedByKeel = true;
      delegate.closeOutbound();
      try {
        delegate.closeInbound();
      } catch (SSLException e) {
        // closing before the peer's close_notify is what we want here
      }
      throw new SSLException(
          "Keel: closing a TLS connection made with replaced key material, or because this"
              + " node shuts down");
    }
    try {
      SSLEngineResult result = call.run();
      if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED) {
        established = true;
      }
      return result;
    } catch (SSLException e) {
      if (!established && !reported) {
        reported = true;
        observer.handshakeFailed(this, e);
      }
      throw e;
    }
  }

  /** One {@code wrap} or {@code unwrap}. */
  @FunctionalInterface
  private interface OperationCall {
    SSLEngineResult run() throws SSLException;
  }

  @Override
  public @Nullable Runnable getDelegatedTask() {
    return delegate.getDelegatedTask();
  }

  @Override
  public void closeInbound() throws SSLException {
    delegate.closeInbound();
  }

  @Override
  public boolean isInboundDone() {
    return delegate.isInboundDone();
  }

  @Override
  public void closeOutbound() {
    delegate.closeOutbound();
  }

  @Override
  public boolean isOutboundDone() {
    return delegate.isOutboundDone();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return delegate.getSupportedCipherSuites();
  }

  @Override
  public String[] getEnabledCipherSuites() {
    return delegate.getEnabledCipherSuites();
  }

  @Override
  public void setEnabledCipherSuites(String[] suites) {
    delegate.setEnabledCipherSuites(suites);
  }

  @Override
  public String[] getSupportedProtocols() {
    return delegate.getSupportedProtocols();
  }

  @Override
  public String[] getEnabledProtocols() {
    return delegate.getEnabledProtocols();
  }

  @Override
  public void setEnabledProtocols(String[] protocols) {
    delegate.setEnabledProtocols(protocols);
  }

  @Override
  public SSLSession getSession() {
    return delegate.getSession();
  }

  @Override
  public @Nullable SSLSession getHandshakeSession() {
    return delegate.getHandshakeSession();
  }

  @Override
  public void beginHandshake() throws SSLException {
    delegate.beginHandshake();
  }

  @Override
  public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
    return delegate.getHandshakeStatus();
  }

  @Override
  public void setUseClientMode(boolean mode) {
    delegate.setUseClientMode(mode);
  }

  @Override
  public boolean getUseClientMode() {
    return delegate.getUseClientMode();
  }

  @Override
  public void setNeedClientAuth(boolean need) {
    delegate.setNeedClientAuth(need);
  }

  @Override
  public boolean getNeedClientAuth() {
    return delegate.getNeedClientAuth();
  }

  @Override
  public void setWantClientAuth(boolean want) {
    delegate.setWantClientAuth(want);
  }

  @Override
  public boolean getWantClientAuth() {
    return delegate.getWantClientAuth();
  }

  @Override
  public void setEnableSessionCreation(boolean flag) {
    delegate.setEnableSessionCreation(flag);
  }

  @Override
  public boolean getEnableSessionCreation() {
    return delegate.getEnableSessionCreation();
  }

  @Override
  public SSLParameters getSSLParameters() {
    return delegate.getSSLParameters();
  }

  @Override
  public void setSSLParameters(SSLParameters params) {
    delegate.setSSLParameters(params);
  }

  @Override
  public @Nullable String getApplicationProtocol() {
    return delegate.getApplicationProtocol();
  }

  @Override
  public @Nullable String getHandshakeApplicationProtocol() {
    return delegate.getHandshakeApplicationProtocol();
  }

  @Override
  public void setHandshakeApplicationProtocolSelector(
      BiFunction<SSLEngine, List<String>, String> selector) {
    delegate.setHandshakeApplicationProtocolSelector(selector);
  }

  @Override
  public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
    return delegate.getHandshakeApplicationProtocolSelector();
  }
}
