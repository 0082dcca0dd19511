package dev.keel.examples.kv;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import dev.keel.examples.remote.KvNode;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftSettings;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running node of the KV store: a {@link RaftPeer} of {@link KvStore} on Keel's durable default
 * storage in {@code --data-dir}, Pekko Artery over mutual TLS on {@code --raft-port}, the {@link
 * NodeInfoService}, and the HTTP API ({@link KvHttpApi}) on {@code --http-port}.
 *
 * <p>{@link #stop()} (or SIGTERM, through {@link KvNodeCommand}) runs Pekko's coordinated shutdown:
 * the HTTP server stops taking requests and finishes those in flight, the peer stops ({@link
 * RaftPeer.Stop}: it answers what it holds), the storage closes, the actor system terminates.
 */
public final class KvStoreNode {

  private static final Logger LOG = LoggerFactory.getLogger(KvStoreNode.class);
  private static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(4);

  private final KvNodeOptions options;
  private final ActorSystem<Void> system;
  private final DataDir dataDir;

  private KvStoreNode(KvNodeOptions options, ActorSystem<Void> system, DataDir dataDir) {
    this.options = options;
    this.system = system;
    this.dataDir = dataDir;
  }

  /**
   * Checks the TLS material, the data directory and the ports, then starts the node.
   *
   * @param settings more configuration, overriding the defaults (e.g. {@code keel.raft} timeouts)
   * @throws StartupException with a one-line message and the exit code for it
   */
  public static KvStoreNode start(KvNodeOptions options, Config settings) throws StartupException {
    TlsDir.NodeFiles tls = TlsDir.check(options.tlsDir(), options.name());
    DataDir dataDir = DataDir.claim(options.dataDir(), tls.clusterId(), options.name());
    try {
      requireFree(options.raftAddress().host(), options.raftPort(), "--raft-port");
      requireFree(options.httpHost(), options.httpPort(), "--http-port");
      KvNode.Running running;
      try {
        running = KvNode.start(config(options, tls, settings), KvStore::new);
      } catch (RuntimeException e) {
        throw new StartupException(
            rootCause(e) instanceof BindException
                ? StartupException.PORT_IN_USE
                : StartupException.OTHER,
            "cannot start on --raft-port " + options.raftPort() + ": " + rootMessage(e));
      }
      KvStoreNode node = new KvStoreNode(options, running.system(), dataDir);
      node.serve(running);
      return node;
    } catch (StartupException e) {
      dataDir.close();
      throw e;
    }
  }

  /** The base URL of this node's HTTP API. */
  public String httpUrl() {
    return options.httpUrl();
  }

  /** The node's actor system. */
  public ActorSystem<Void> system() {
    return system;
  }

  /** Stops the node gracefully; completes once its actor system has terminated. */
  public CompletionStage<Done> stop() {
    return CoordinatedShutdown.get(system)
        .runAll(CoordinatedShutdown.unknownReason())
        .thenCompose(done -> system.getWhenTerminated());
  }

  private void serve(KvNode.Running running) throws StartupException {
    ActorSystem<Void> sys = running.system();
    MemberUrls urls =
        new MemberUrls(
            sys, running.node().systemName(), options.name(), options.httpUrl(), options.peers());
    NodeInfoService.spawn(sys, new NodeInfoService.Info(options.name(), options.httpUrl()));
    Cancellable refreshing = urls.startRefreshing();
    Duration askTimeout =
        RaftSettings.fromConfig(sys.settings().config()).requestTimeout().plusSeconds(1);
    KvHttpApi api = new KvHttpApi(sys, running.peer(), urls, askTimeout);
    ServerBinding binding;
    try {
      binding =
          Http.get(sys)
              .newServerAt(options.httpHost(), options.httpPort())
              .bind(api::apply)
              .toCompletableFuture()
              .get(BIND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      terminate(sys);
      throw new StartupException(
          StartupException.PORT_IN_USE,
          "--http-port "
              + options.httpPort()
              + ": cannot listen on "
              + options.httpHost()
              + ": "
              + rootMessage(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      terminate(sys);
      throw new StartupException(StartupException.OTHER, "interrupted while starting");
    }
    binding.addToCoordinatedShutdown(Duration.ofSeconds(3), sys);
    CoordinatedShutdown.get(sys)
        .addTask(
            CoordinatedShutdown.PhaseServiceStop(),
            "keel-kv-stop-peer",
            () -> {
              refreshing.cancel();
              return AskPattern.<RaftPeer.Command, Done>ask(
                      running.peer(), RaftPeer.Stop::new, STOP_TIMEOUT, sys.scheduler())
                  .handleAsync(
                      (done, failure) -> {
                        running.storage().close();
                        dataDir.close();
                        LOG.info("{}: Raft peer stopped, storage closed", options.name());
                        return Done.getInstance();
                      },
                      sys.executionContext());
            });
    LOG.info(
        "{}: HTTP API on {}, Raft on {}, data in {}",
        options.name(),
        options.httpUrl(),
        options.raftAddress(),
        options.dataDir());
  }

  private static Config config(KvNodeOptions options, TlsDir.NodeFiles tls, Config settings) {
    Map<String, Object> node = new HashMap<>();
    node.put("keel.node.name", options.name());
    options
        .peers()
        .forEach(
            (name, address) ->
                node.put(ConfigUtil.joinPath("keel", "node", "members", name), address.toString()));
    node.put("keel.node.tls.key-file", tls.key().toString());
    node.put("keel.node.tls.cert-file", tls.certificate().toString());
    node.put("keel.node.tls.ca-file", tls.ca().toString());
    node.put("keel.persistence.rocksdb.dir", options.dataDir().toString());
    // The request target exactly as sent: keys are decoded strictly (invalid UTF-8 is a 400).
    node.put("pekko.http.server.raw-request-uri-header", "on");
    node.put("pekko.http.server.parsing.error-handler", KvParsingErrorHandler.class.getName());
    // A compare-and-set carries the expected value (up to 64 KiB) in the query.
    node.put("pekko.http.server.parsing.max-uri-length", "256k");
    return ConfigFactory.load(
        ConfigFactory.parseMap(node, "kv-node flags")
            .withFallback(settings)
            .withFallback(ConfigFactory.defaultApplication()));
  }

  private static void requireFree(String host, int port, String flag) throws StartupException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new StartupException(
          StartupException.PORT_IN_USE,
          flag + " " + port + " is in use on " + host + " (" + e.getMessage() + ")");
    }
  }

  private static void terminate(ActorSystem<Void> system) {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // exiting anyway
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable root = rootCause(t);
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }

  private static Throwable rootCause(Throwable t) {
    Throwable root = t;
    for (Throwable cause = t.getCause(); cause != null && cause != root; cause = cause.getCause()) {
      root = cause;
    }
    return root;
  }
}
