package dev.keel.raft.remote;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftClient;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.jspecify.annotations.Nullable;

/**
 * A Raft group whose members run in separate actor systems in this JVM, connected by Artery over
 * mutual TLS on loopback ports chosen at test time, with key material made at test time; plus a
 * client actor system (not a member) running a {@link RaftClient}.
 */
final class TlsCluster implements AutoCloseable {

  /** Settings of every system: short request timeouts, so failover tests stay short. */
  static final Config TEST_SETTINGS =
      ConfigFactory.parseString(
          """
          keel.raft.request-timeout = 2s
          keel.client.attempt-timeout = 3s
          keel.client.deadline = 20s
          keel.node.tls.refusal-log-interval = 0s
          """);

  final Path root;
  final TestPki pki;
  final List<String> names;
  private final Map<String, MemberAddress> addresses = new TreeMap<>();
  private final boolean durable;
  private final Config extra;
  private final Map<String, TlsNode> running = new HashMap<>();
  private final ActorSystem<Void> clientSystem;
  private final RaftClient<String, String, List<String>> client;

  private TlsCluster(Path root, int size, boolean durable, Config extra) {
    this.root = root;
    this.pki = new TestPki(root.resolve("tls"), "keel-test-ca");
    this.durable = durable;
    this.extra = extra;
    List<Integer> ports = Ports.free(size + 1);
    List<String> members = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      String name = "n" + i;
      members.add(name);
      addresses.put(name, new MemberAddress("127.0.0.1", ports.get(i - 1)));
      pki.writeNode(name);
    }
    this.names = List.copyOf(members);
    pki.writeNode("client");
    Config clientConfig =
        nodeConfig("client", Map.of("client", new MemberAddress("127.0.0.1", ports.get(size))));
    NodeSettings clientNode = NodeSettings.fromConfig(clientConfig);
    this.clientSystem =
        ActorSystem.create(
            Behaviors.empty(), clientNode.systemName(), clientNode.actorSystemConfig(clientConfig));
    this.client =
        RaftClient.create(
            clientSystem, RemotePeerTransport.peers(clientSystem, TlsNode.GROUP, addresses));
  }

  /**
   * Starts {@code size} members, n1..n{size}.
   *
   * @param durable RocksDB storage under {@code root} (survives restarts) instead of memory
   * @param extra settings of every member, over {@link #TEST_SETTINGS}
   */
  static TlsCluster start(Path root, int size, boolean durable, Config extra) {
    TlsCluster cluster = new TlsCluster(root, size, durable, extra);
    try {
      for (String name : cluster.names) {
        cluster.restart(name);
      }
      cluster.warmUp();
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /**
   * Waits until a linearizable read through the client succeeds (a leader, its connections to the
   * followers and to the client): TLS handshakes of fresh connections and a cold JVM can make the
   * very first requests time out. Reads leave the state machines empty.
   */
  private void warmUp() {
    Poll.until(
        "a first read answered by a leader",
        Duration.ofSeconds(60),
        () -> {
          try {
            return client
                .read(AppendLog.ALL)
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS)
                .isOk();
          } catch (Exception e) {
            return false;
          }
        });
  }

  /** The full configuration of member {@code name}. */
  Config nodeConfig(String name) {
    return nodeConfig(name, addresses);
  }

  private Config nodeConfig(String name, Map<String, MemberAddress> members) {
    Map<String, Object> node = new HashMap<>();
    node.put("keel.node.name", name);
    members.forEach(
        (member, address) -> node.put("keel.node.members." + member, address.toString()));
    return ConfigFactory.parseMap(node)
        .withFallback(extra)
        .withFallback(TestPki.tlsConfig(pki.dir.resolve(name), Duration.ofMillis(200)))
        .withFallback(TEST_SETTINGS)
        .withFallback(ConfigFactory.load());
  }

  Map<String, MemberAddress> addresses() {
    return Map.copyOf(addresses);
  }

  RaftClient<String, String, List<String>> client() {
    return client;
  }

  ActorSystem<Void> clientSystem() {
    return clientSystem;
  }

  synchronized TlsNode node(String name) {
    TlsNode node = running.get(name);
    if (node == null) {
      throw new IllegalStateException(name + " is not running");
    }
    return node;
  }

  synchronized List<String> runningNames() {
    return names.stream().filter(running::containsKey).toList();
  }

  /** Terminates member {@code name}'s actor system. */
  synchronized void stop(String name) {
    TlsNode node = running.remove(name);
    if (node != null) {
      node.stop();
    }
  }

  /** Starts member {@code name} in a new actor system at the same address, on the same storage. */
  synchronized void restart(String name) {
    stop(name);
    running.put(
        name, TlsNode.start(nodeConfig(name), durable ? root.resolve("data/" + name) : null));
  }

  /** Waits until one running member says it leads and the others agree; returns its name. */
  String awaitLeader(Duration timeout) {
    String[] leader = new String[1];
    Poll.until(
        "a leader all running members know",
        timeout,
        () -> {
          List<PeerStatus> statuses = new ArrayList<>();
          for (String name : runningNames()) {
            PeerStatus status = status(name);
            if (status == null) {
              return false;
            }
            statuses.add(status);
          }
          leader[0] =
              statuses.stream()
                  .filter(s -> s.role() == PeerStatus.Role.LEADER)
                  .map(PeerStatus::name)
                  .findFirst()
                  .orElse(null);
          return leader[0] != null && statuses.stream().allMatch(s -> leader[0].equals(s.leader()));
        });
    return leader[0];
  }

  /** Member {@code name}'s status, or null if it does not answer. */
  @Nullable PeerStatus status(String name) {
    return ask(name, RaftPeer.GetStatus::new);
  }

  /** Member {@code name}'s applied commands, read locally, or null if it does not answer. */
  @Nullable List<String> localRead(String name) {
    RaftReply<List<String>> reply =
        ask(
            name,
            replyTo ->
                new RaftPeer.Read<String, List<String>>(
                    AppendLog.ALL, RaftPeer.ReadConsistency.LOCAL, replyTo));
    return reply instanceof RaftReply.Ok<List<String>> ok ? ok.result() : null;
  }

  /** Waits until every running member has applied exactly {@code expected}. */
  void awaitReplicated(List<String> expected, Duration timeout) {
    Poll.until(
        "every running member applied " + expected.size() + " commands",
        timeout,
        () -> runningNames().stream().allMatch(n -> expected.equals(localRead(n))));
  }

  private <T> @Nullable T ask(String name, Function<ActorRef<T>, RaftPeer.Command> message) {
    TlsNode node = node(name);
    try {
      return AskPattern.ask(
              node.peer, message::apply, TlsNode.askTimeout(), node.system.scheduler())
          .toCompletableFuture()
          .get(TlsNode.askTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      return null;
    }
  }

  @Override
  public synchronized void close() {
    for (String name : List.copyOf(running.keySet())) {
      stop(name);
    }
    TlsNode.terminate(clientSystem);
  }
}
