package dev.keel.raft.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.remote.artery.tcp.SSLEngineProvider;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * Keel's TLS for Pekko Artery ({@code pekko.remote.artery.transport = tls-tcp}), configured by
 * {@code keel.node.tls} ({@link TlsSettings}):
 *
 * <ul>
 *   <li><b>Mutual authentication, always.</b> Every connection needs a certificate from both sides,
 *       issued by a CA this node trusts; TLS 1.3 by default. There is no setting to turn client
 *       certificates off.
 *   <li><b>Refusals are visible.</b> A handshake that fails — the peer's certificate is from
 *       another CA or expired, it presents none, it speaks plaintext or garbage, or it refuses this
 *       node — is logged at WARN by this class's logger, naming the address and the reason (with
 *       the certificate the peer presented), and published on the event stream as a {@link
 *       TlsHandshakeFailure}. Pekko itself logs nothing at the refusing side. A peer retrying the
 *       same failure is logged once per {@code refusal-log-interval}, with a count of repeats.
 *   <li><b>Rotation without restart.</b> Every {@code reload-interval} the key material files are
 *       read again; when their content changed and the new material is complete and consistent (the
 *       key belongs to the certificate), new connections use it. Connections already made keep
 *       theirs, unless {@code close-connections-on-change} closes them so that Artery makes them
 *       again with the new material. Material that fails to load is logged and ignored; the node
 *       keeps its current material and tries again at the next check.
 * </ul>
 *
 * <p>Pekko creates one instance per actor system through the constructor taking the system.
 */
public final class KeelSslEngineProvider implements SSLEngineProvider {

  private static final Logger LOG = LoggerFactory.getLogger(KeelSslEngineProvider.class);

  /** How long shutdown waits for connections to fail once told to. */
  private static final long SHUTDOWN_CLOSE_MILLIS = 300;

  private final TlsSettings settings;
  private final @Nullable ActorSystem system;
  private final SecureRandom random = new SecureRandom();
  private final AtomicLong generations = new AtomicLong();
  private final AtomicBoolean shuttingDown = new AtomicBoolean();
  private volatile KeyGeneration current;
  // Digest of the last material that failed to load, so a broken file is reported once.
  private volatile byte @Nullable [] lastFailedDigest;
  private final RefusalLog refusals;

  /**
   * Called by Pekko: reads {@code keel.node.tls} from the system's configuration and checks the key
   * material files for changes every {@code reload-interval}.
   *
   * @param system the actor system whose remoting this provider secures
   * @throws IllegalArgumentException naming the setting if the TLS settings are invalid
   * @throws IllegalStateException if the key material cannot be loaded
   */
  public KeelSslEngineProvider(ActorSystem system) {
    this(TlsSettings.fromConfig(system.settings().config()), system);
    system
        .scheduler()
        .scheduleWithFixedDelay(
            settings.reloadInterval(),
            settings.reloadInterval(),
            this::reloadIfChanged,
            system.dispatcher());
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
            "keel-close-tls-connections",
            () -> closeConnectionsForShutdown(system));
  }

  /**
   * Before the actor system terminates, makes every TLS connection fail at its next read or write,
   * and gives them {@value #SHUTDOWN_CLOSE_MILLIS} ms to do so. Pekko 1.x's Artery waits for its
   * outbound streams to complete before it lets the actor system terminate, and a TLS connection
   * that is only told to complete can wait for its peer forever (fixed upstream in Pekko 2:
   * apache/pekko#3317); a connection that fails closes its socket at once.
   */
  private CompletionStage<Done> closeConnectionsForShutdown(ActorSystem system) {
    shuttingDown.set(true);
    CompletableFuture<Done> done = new CompletableFuture<>();
    system
        .scheduler()
        .scheduleOnce(
            Duration.ofMillis(SHUTDOWN_CLOSE_MILLIS),
            () -> done.complete(Done.getInstance()),
            system.dispatcher());
    return done;
  }

  /**
   * A provider of the given settings; {@link #reloadIfChanged()} is then the caller's business.
   *
   * @param settings the key material and TLS parameters
   * @param system where {@link TlsHandshakeFailure}s are published; null for nowhere
   */
  KeelSslEngineProvider(TlsSettings settings, @Nullable ActorSystem system) {
    this.settings = settings;
    this.system = system;
    this.refusals = new RefusalLog(LOG, settings.refusalLogInterval());
    try {
      this.current = new KeyGeneration(KeyMaterial.load(settings, random), 1, shuttingDown);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot load this node's TLS key material (" + TlsSettings.PATH + "): " + e.getMessage(),
          e);
    }
    generations.set(1);
    LOG.info("TLS key material loaded: {}", current.material.describe());
    warnIfNotValid(current.material);
  }

  @Override
  public SSLEngine createServerSSLEngine(String hostname, int port) {
    return engine(false, hostname, port);
  }

  @Override
  public SSLEngine createClientSSLEngine(String hostname, int port) {
    return engine(true, hostname, port);
  }

  /** Nothing beyond the handshake's own checks (CA, validity): returns empty. */
  @Override
  public Option<Throwable> verifyClientSession(String hostname, SSLSession session) {
    return Option.empty();
  }

  /** Nothing beyond the handshake's own checks (CA, validity, client certificate): empty. */
  @Override
  public Option<Throwable> verifyServerSession(String hostname, SSLSession session) {
    return Option.empty();
  }

  /**
   * Reads the key material files and, if their content changed and loads, switches to it. Called
   * every {@code reload-interval}.
   *
   * @return whether new material was taken into use
   */
  boolean reloadIfChanged() {
    KeyGeneration previous = current;
    byte[] digest;
    try {
      digest = KeyMaterial.digest(settings);
    } catch (IOException e) {
      LOG.warn(
          "cannot read the TLS key material files, keeping the current material: {}", e.toString());
      return false;
    }
    if (Arrays.equals(digest, previous.material.digest)
        || Arrays.equals(digest, lastFailedDigest)) {
      return false;
    }
    KeyMaterial material;
    try {
      material = KeyMaterial.load(settings, random);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      lastFailedDigest = digest;
      LOG.warn(
          "the TLS key material files changed but cannot be loaded; keeping the current material"
              + " ({}) and checking again in {}: {}",
          previous.material.describe(),
          settings.reloadInterval(),
          e.toString());
      return false;
    }
    current = new KeyGeneration(material, generations.incrementAndGet(), shuttingDown);
    LOG.info(
        "TLS key material reloaded (generation {}): {}{}",
        current.number,
        material.describe(),
        settings.closeConnectionsOnChange()
            ? "; connections made with the previous material are closed and made again"
            : "; new connections use it");
    warnIfNotValid(material);
    if (settings.closeConnectionsOnChange()) {
      previous.retire();
    }
    return true;
  }

  private SSLEngine engine(boolean outbound, String hostname, int port) {
    KeyGeneration generation = current;
    SSLEngine engine = generation.material.context.createSSLEngine(hostname, port);
    engine.setUseClientMode(outbound);
    engine.setEnabledProtocols(new String[] {settings.protocol()});
    engine.setEnabledCipherSuites(settings.enabledAlgorithms().toArray(String[]::new));
    if (!outbound) {
      engine.setNeedClientAuth(true); // mutual authentication, always
    }
    return new ObservedSslEngine(
        engine, outbound, hostname + ":" + port, generation, this::handshakeFailed);
  }

  private void handshakeFailed(ObservedSslEngine engine, SSLException failure) {
    String message = String.valueOf(failure.getMessage());
    boolean refusedByPeer = message.startsWith("Received fatal alert");
    TlsHandshakeFailure event =
        new TlsHandshakeFailure(
            engine.outbound(), engine.endpoint(), refusedByPeer, reason(failure, message));
    refusals.failed(event);
    ActorSystem target = system;
    if (target != null) {
      target.eventStream().publish(event);
    }
  }

  private static String reason(SSLException failure, String message) {
    String hint = "";
    if (message.contains("nrecognized SSL message")) {
      hint = "the peer does not speak TLS (plaintext remoting or other bytes); ";
    } else if (message.contains("Empty client certificate chain")) {
      // A JDK client offers only certificates from the CAs the server names as trusted.
      hint = "the peer presented no certificate (or none issued by a CA this node trusts); ";
    }
    StringBuilder reason = new StringBuilder(hint).append(message);
    for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
      String text = cause.getMessage();
      if (text != null && !reason.toString().contains(text)) {
        reason.append(" / ").append(text);
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return reason.toString();
  }

  private static void warnIfNotValid(KeyMaterial material) {
    if (!material.certificateValidAt(Instant.now())) {
      LOG.warn(
          "this node's TLS certificate is not valid now, peers will refuse it: {}",
          CertificateText.describe(material.certificate));
    }
  }
}
