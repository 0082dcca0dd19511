package dev.keel.raft.remote;

import dev.keel.raft.tls.NodeKeyMaterial;
import dev.keel.raft.tls.PemFiles;
import dev.keel.raft.tls.TestContexts;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.remote.artery.tcp.SSLEngineProvider;
import scala.Option;

/**
 * Artery TLS for rogue nodes in tests, from one of {@link TestContexts}' contexts: engines with no
 * checks of their own, trusting any server.
 */
abstract class ContextSslEngineProvider implements SSLEngineProvider {

  private final SSLContext context;

  ContextSslEngineProvider(SSLContext context) {
    this.context = context;
  }

  @Override
  public SSLEngine createServerSSLEngine(String hostname, int port) {
    SSLEngine engine = context.createSSLEngine(hostname, port);
    engine.setUseClientMode(false);
    return engine;
  }

  @Override
  public SSLEngine createClientSSLEngine(String hostname, int port) {
    SSLEngine engine = context.createSSLEngine(hostname, port);
    engine.setUseClientMode(true);
    return engine;
  }

  @Override
  public Option<Throwable> verifyClientSession(String hostname, SSLSession session) {
    return Option.empty();
  }

  @Override
  public Option<Throwable> verifyServerSession(String hostname, SSLSession session) {
    return Option.empty();
  }

  /** Presents no certificate at all: what a member must refuse. */
  static final class CertificateFree extends ContextSslEngineProvider {
    CertificateFree(ActorSystem system) throws GeneralSecurityException {
      super(TestContexts.certificateFree());
    }
  }

  /**
   * Presents the certificate in {@code keel.node.tls.key-file} and {@code cert-file} whatever CAs
   * the server asks for (a JDK client offers only certificates from the CAs the server names; an
   * attacker does not care).
   */
  static final class ForcedCertificate extends ContextSslEngineProvider {
    ForcedCertificate(ActorSystem system) throws IOException, GeneralSecurityException {
      super(TestContexts.forcing(material(system)));
    }

    private static NodeKeyMaterial material(ActorSystem system)
        throws IOException, GeneralSecurityException {
      var config = system.settings().config();
      return new NodeKeyMaterial(
          "rogue",
          PemFiles.readPrivateKey(Path.of(config.getString("keel.node.tls.key-file")), new char[0]),
          List.copyOf(
              PemFiles.readCertificates(Path.of(config.getString("keel.node.tls.cert-file")))));
    }
  }
}
