package dev.keel.raft.remote;

import dev.keel.raft.tls.PemFiles;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.remote.artery.tcp.SSLEngineProvider;
import scala.Option;

/**
 * TLS for a rogue node that presents its certificate whatever CAs the server asks for (a JDK client
 * offers only certificates from the CAs the server names; an attacker does not care), and accepts
 * any server. Reads {@code keel.node.tls.key-file} and {@code cert-file}.
 */
final class ForcedCertificateSslEngineProvider implements SSLEngineProvider {

  private static final String ALIAS = "node";
  private final SSLContext context;

  ForcedCertificateSslEngineProvider(ActorSystem system)
      throws IOException, GeneralSecurityException {
    PrivateKey key =
        PemFiles.readPrivateKey(
            Path.of(system.settings().config().getString("keel.node.tls.key-file")), new char[0]);
    List<X509Certificate> chain =
        PemFiles.readCertificates(
            Path.of(system.settings().config().getString("keel.node.tls.cert-file")));
    context = SSLContext.getInstance("TLSv1.3");
    context.init(
        new KeyManager[] {new Always(key, chain)},
        new TrustManager[] {new CertificateFreeSslEngineProvider.AcceptAnything()},
        null);
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

  /** Always the one key and chain, whatever is asked. */
  private static final class Always extends X509ExtendedKeyManager {
    private final PrivateKey key;
    private final X509Certificate[] chain;

    Always(PrivateKey key, List<X509Certificate> chain) {
      this.key = key;
      this.chain = chain.toArray(X509Certificate[]::new);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {ALIAS};
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return ALIAS;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
      return ALIAS;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return new String[] {ALIAS};
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return ALIAS;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return ALIAS;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return chain.clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return key;
    }
  }
}
