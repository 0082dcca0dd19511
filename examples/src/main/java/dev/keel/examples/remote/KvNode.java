package dev.keel.examples.remote;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftSettings;
import dev.keel.raft.persistence.journal.RaftStorages;
import dev.keel.raft.remote.NodeSettings;
import dev.keel.raft.remote.RemotePeerTransport;
import dev.keel.raft.testkit.kv.KeyValueStateMachine;
import java.io.File;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One node of a replicated key-value store in a process of its own: the testkit's {@link
 * KeyValueStateMachine}, Keel over Artery with mutual TLS, and durable storage (a fsync'd RocksDB
 * journal under {@code keel.persistence.rocksdb.dir}). Restarted on the same directory, it recovers
 * its state and catches up with the others.
 *
 * <p>Run: {@code java -cp ... dev.keel.examples.remote.KvNode node.conf}, where {@code node.conf}
 * holds this node's {@code keel.node} block and {@code keel.persistence.rocksdb.dir}; see {@link
 * LocalProcessCluster}, which writes such files and starts the processes. Prints {@value #READY}
 * and the node's name once its peer runs.
 */
public final class KvNode {

  /** The Raft group's name. */
  public static final String GROUP = "kv";

  /** Printed on a line of its own, followed by the node's name, once the peer runs. */
  public static final String READY = "KEEL-NODE-READY";

  private KvNode() {}

  /**
   * Starts the node the file names.
   *
   * @param args the configuration file
   */
  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: KvNode <node.conf>");
      System.exit(2);
    }
    Config config =
        ConfigFactory.parseFile(new File(args[0])).withFallback(ConfigFactory.load()).resolve();
    ActorSystem<Void> system = start(config);
    System.out.println(READY + " " + system.settings().config().getString("keel.node.name"));
    System.out.flush();
  }

  /**
   * Starts the node's actor system and its peer.
   *
   * @param config the full configuration: the {@code keel.node} block and the rest
   * @return the running actor system
   */
  public static ActorSystem<Void> start(Config config) {
    NodeSettings node = NodeSettings.fromConfig(config);
    ActorSystem<Void> system =
        ActorSystem.create(Behaviors.empty(), node.systemName(), node.actorSystemConfig(config));
    RemotePeerTransport transport = RemotePeerTransport.create(system, node, GROUP);
    ActorRef<RaftPeer.Command> peer =
        transport.spawnPeer(
            RaftPeer.setup(
                    node.name(),
                    node.memberNames(),
                    transport,
                    RaftStorages.create(system, GROUP, node.name()),
                    KeyValueStateMachine::new)
                .settings(RaftSettings.fromConfig(system.settings().config()))
                .build());
    system.log().info("peer {} of group {} runs at {}", node.name(), GROUP, peer.path());
    return system;
  }
}
