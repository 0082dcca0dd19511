package dev.keel.examples.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftSettings;
import dev.keel.raft.persistence.InMemoryRaftStorage;
import dev.keel.raft.persistence.RaftStorage;
import dev.keel.raft.persistence.journal.JournaledRaftStorage;
import dev.keel.raft.remote.NodeSettings;
import dev.keel.raft.remote.RemotePeerTransport;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One node of the benchmark suite's {@code loopback-tls} topology, in a process of its own: the
 * benchmark's key-value state machine behind a Keel peer, Artery over mutual TLS, memory or durable
 * (fsync'd RocksDB) storage. Reads {@link NodeAgent} commands from standard input, one per line,
 * and prints each answer as one line starting with {@value #ANSWER}; exits at the end of its input
 * (the driver closing the pipe, or dying) or on {@code exit}.
 *
 * <p>Run: {@code java -cp ... dev.keel.examples.bench.BenchNode node.conf}, where {@code node.conf}
 * holds the {@code keel.node} block, {@code bench.storage} ({@code memory} or {@code
 * durable-fsync}) and {@code bench.data-dir}; {@link ProcessGroup} writes such files.
 */
public final class BenchNode {

  /** Prefix of every answer line (log lines go to the same output). */
  static final String ANSWER = "@@ ";

  private static final String GROUP = "bench";

  private BenchNode() {}

  /**
   * Starts the node and serves commands until the input ends.
   *
   * @param args the configuration file
   * @throws Exception if the node cannot start
   */
  public static void main(String[] args) throws Exception {
    Config config =
        ConfigFactory.parseFile(new File(args[0])).withFallback(ConfigFactory.load()).resolve();
    NodeSettings node = NodeSettings.fromConfig(config);
    ActorSystem<Void> system =
        ActorSystem.create(Behaviors.empty(), node.systemName(), node.actorSystemConfig(config));
    RemotePeerTransport transport = RemotePeerTransport.create(system, node, GROUP);
    CountingTransport counting = new CountingTransport(transport, system);
    JournaledRaftStorage journal = null;
    RaftStorage storage = new InMemoryRaftStorage();
    if (StorageKind.of(config.getString("bench.storage")) == StorageKind.DURABLE_FSYNC) {
      journal =
          JournaledRaftStorage.builder(system, GROUP, node.name())
              .rocksDb(Path.of(config.getString("bench.data-dir")))
              .build();
      storage = journal;
    }
    CountingStorage counted = new CountingStorage(storage);
    ActorRef<RaftPeer.Command> peer =
        transport.spawnPeer(
            RaftPeer.setup(
                    node.name(), node.memberNames(), counting, counted, BytesKvStateMachine::new)
                .settings(RaftSettings.fromConfig(system.settings().config()))
                .random(new SplittableRandom(System.nanoTime()))
                .build());
    NodeAgent agent =
        new NodeAgent(
            system,
            transport.peers(),
            List.of(new NodeAgent.LocalPeer(peer, counted, journal, counting)));
    PrintStream out = System.out;
    out.println(ANSWER + "{\"ready\":\"" + node.name() + "\"}");
    out.flush();
    serve(agent, out);
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get();
    System.exit(0);
  }

  private static void serve(NodeAgent agent, PrintStream out) throws Exception {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.isBlank()) {
        continue;
      }
      if (line.trim().equals("exit")) {
        return;
      }
      String answer;
      try {
        answer = agent.handle(line);
      } catch (Exception e) {
        answer = new JsonLine().add("error", String.valueOf(e)).toString();
      }
      out.println(ANSWER + answer);
      out.flush();
    }
  }
}
