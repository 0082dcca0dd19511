package dev.keel.examples.remote;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftSettings;
import dev.keel.raft.StateMachine;
import dev.keel.raft.persistence.RaftStorage;
import dev.keel.raft.persistence.journal.RaftStorages;
import dev.keel.raft.remote.NodeSettings;
import dev.keel.raft.remote.RemotePeerTransport;
import dev.keel.raft.testkit.kv.KeyValueStateMachine;
import java.io.File;
import java.util.function.Supplier;
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
   * Starts the node's actor system and its peer of the testkit's {@link KeyValueStateMachine}.
   *
   * @param config the full configuration: the {@code keel.node} block and the rest
   * @return the running actor system
   */
  public static ActorSystem<Void> start(Config config) {
    return start(config, KeyValueStateMachine::new).system();
  }

  /**
   * Starts a node's actor system and its peer of Raft group {@value #GROUP} with durable storage
   * ({@link RaftStorages#create}) and the {@code keel.raft} settings of {@code config}.
   *
   * @param config the full configuration: the {@code keel.node} block and the rest
   * @param stateMachine makes the node's state machine
   * @param <C> command type
   * @param <Q> query type
   * @param <R> result type
   * @return the running parts
   * @throws IllegalArgumentException naming the setting if the configuration is invalid
   */
  public static <C, Q, R> Running start(
      Config config, Supplier<? extends StateMachine<C, Q, R>> stateMachine) {
    NodeSettings node = NodeSettings.fromConfig(config);
    ActorSystem<Void> system =
        ActorSystem.create(Behaviors.empty(), node.systemName(), node.actorSystemConfig(config));
    RemotePeerTransport transport = RemotePeerTransport.create(system, node, GROUP);
    RaftStorage storage = RaftStorages.create(system, GROUP, node.name());
    ActorRef<RaftPeer.Command> peer =
        transport.spawnPeer(
            RaftPeer.setup(node.name(), node.memberNames(), transport, storage, stateMachine)
                .settings(RaftSettings.fromConfig(system.settings().config()))
                .build());
    system.log().info("peer {} of group {} runs at {}", node.name(), GROUP, peer.path());
    return new Running(node, system, transport, peer, storage);
  }

  /**
   * A node started by {@link #start(Config, Supplier)}.
   *
   * @param node the node's settings
   * @param system its actor system
   * @param transport its transport to the other members
   * @param peer its Raft peer
   * @param storage the peer's storage; close it once the peer has stopped
   */
  public record Running(
      NodeSettings node,
      ActorSystem<Void> system,
      RemotePeerTransport transport,
      ActorRef<RaftPeer.Command> peer,
      RaftStorage storage) {}
}
