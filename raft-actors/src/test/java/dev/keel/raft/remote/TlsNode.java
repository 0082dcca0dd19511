package dev.keel.raft.remote;

import com.typesafe.config.Config;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftSettings;
import dev.keel.raft.persistence.InMemoryRaftStorage;
import dev.keel.raft.persistence.RaftStorage;
import dev.keel.raft.persistence.journal.JournaledRaftStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.jspecify.annotations.Nullable;

/**
 * One member of a test cluster: its own actor system with Artery over mutual TLS, a remote
 * transport and a peer of {@link AppendLog}, on durable RocksDB storage or in memory.
 */
final class TlsNode {

  static final String GROUP = "test";

  final String name;
  final ActorSystem<Void> system;
  final RemotePeerTransport transport;
  final ActorRef<RaftPeer.Command> peer;

  private TlsNode(
      String name,
      ActorSystem<Void> system,
      RemotePeerTransport transport,
      ActorRef<RaftPeer.Command> peer) {
    this.name = name;
    this.system = system;
    this.transport = transport;
    this.peer = peer;
  }

  /**
   * Starts the node {@code config} describes ({@code keel.node} and the rest of the system's
   * configuration).
   *
   * @param dataDir the peer's RocksDB directory; null for in-memory storage
   */
  static TlsNode start(Config config, @Nullable Path dataDir) {
    NodeSettings node = NodeSettings.fromConfig(config);
    ActorSystem<Void> system =
        ActorSystem.create(Behaviors.empty(), node.systemName(), node.actorSystemConfig(config));
    try {
      RemotePeerTransport transport = RemotePeerTransport.create(system, node, GROUP);
      RaftStorage storage =
          dataDir == null
              ? new InMemoryRaftStorage()
              : JournaledRaftStorage.builder(system, GROUP, node.name()).rocksDb(dataDir).build();
      ActorRef<RaftPeer.Command> peer =
          transport.spawnPeer(
              RaftPeer.setup(node.name(), node.memberNames(), transport, storage, AppendLog::new)
                  .settings(RaftSettings.fromConfig(system.settings().config()))
                  .build());
      return new TlsNode(node.name(), system, transport, peer);
    } catch (RuntimeException e) {
      terminate(system);
      throw e;
    }
  }

  /** Members' names, for setups. */
  List<String> members() {
    return List.copyOf(transport.addresses().keySet());
  }

  /** Terminates the actor system and waits until it is gone. */
  void stop() {
    terminate(system);
  }

  static void terminate(ActorSystem<?> system) {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      StringBuilder threads = new StringBuilder();
      Thread.getAllStackTraces()
          .forEach(
              (thread, stack) -> {
                threads
                    .append('"')
                    .append(thread.getName())
                    .append("\" ")
                    .append(thread.getState());
                for (StackTraceElement frame : stack) {
                  threads.append("\n    at ").append(frame);
                }
                threads.append('\n');
              });
      String tree =
          system.classicSystem() instanceof org.apache.pekko.actor.ActorSystemImpl impl
              ? impl.printTree()
              : "";
      System.err.println(
          "Actors and threads while " + system + " did not terminate:\n" + tree + "\n" + threads);
      throw new IllegalStateException(system + " did not terminate", e);
    }
  }

  static Duration askTimeout() {
    return Duration.ofSeconds(5);
  }
}
