package dev.keel.raft.remote;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.protocol.RaftMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * An actor system that is not a member and tries to talk to the members' peers: with a certificate
 * from the wrong CA, an expired one, none, over plaintext, or authenticated but hostile.
 */
final class Rogue implements AutoCloseable {

  /** A term no member reaches by itself: a member that sees it got a rogue's message. */
  static final long ROGUE_TERM = 1_000_000;

  final String name;
  final ActorSystem<Void> system;
  final Map<String, ActorRef<RaftPeer.Command>> peers;

  private Rogue(String name, ActorSystem<Void> system, Map<String, MemberAddress> members) {
    this.name = name;
    this.system = system;
    this.peers = RemotePeerTransport.peers(system, TlsNode.GROUP, members);
  }

  /**
   * Starts a rogue named {@code name} whose TLS files are in {@code cluster}'s PKI directory.
   *
   * @param node overrides of its {@code keel.node} block (e.g. plaintext)
   * @param pekko overrides of the resulting actor system configuration (e.g. serializers)
   */
  static Rogue start(TlsCluster cluster, String name, Config node, Config pekko) {
    int port = Ports.free(1).get(0);
    Config config =
        node.withFallback(
                ConfigFactory.parseMap(
                    Map.of(
                        "keel.node.name", name, "keel.node.members." + name, "127.0.0.1:" + port)))
            .withFallback(TestPki.tlsConfig(cluster.pki.dir.resolve(name), Duration.ofSeconds(10)))
            .withFallback(TlsCluster.TEST_SETTINGS)
            .withFallback(ConfigFactory.load());
    NodeSettings settings = NodeSettings.fromConfig(config);
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.empty(),
            settings.systemName(),
            pekko.withFallback(settings.actorSystemConfig(config)));
    return new Rogue(name, system, cluster.addresses());
  }

  /**
   * Tries to disturb every member: a vote request in a huge term, and a status request; returns
   * whether any member answered.
   */
  boolean tryEveryMember() {
    List<CompletableFuture<PeerStatus>> asks = new ArrayList<>();
    for (ActorRef<RaftPeer.Command> peer : peers.values()) {
      peer.tell(new RaftMessage.RequestVote(ROGUE_TERM, name, 0, 0, false, 1));
      asks.add(
          AskPattern.<RaftPeer.Command, PeerStatus>ask(
                  peer, RaftPeer.GetStatus::new, Duration.ofSeconds(2), system.scheduler())
              .toCompletableFuture());
    }
    boolean answered = false;
    for (CompletableFuture<PeerStatus> ask : asks) {
      try {
        ask.get(5, TimeUnit.SECONDS);
        answered = true;
      } catch (Exception e) {
        // expected: the member never hears of it
      }
    }
    return answered;
  }

  @Override
  public void close() {
    TlsNode.terminate(system);
  }
}
