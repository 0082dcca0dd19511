package dev.keel.examples.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.keel.examples.remote.LocalProcessCluster;
import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftSettings;
import dev.keel.raft.persistence.InMemoryRaftStorage;
import dev.keel.raft.persistence.RaftStorage;
import dev.keel.raft.persistence.journal.JournaledRaftStorage;
import dev.keel.raft.remote.NodeSettings;
import dev.keel.raft.remote.RemotePeerTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.jspecify.annotations.Nullable;

/**
 * The benchmark's Raft group with each peer in an actor system of its own, in this JVM, connected
 * by Pekko Artery over mutual TLS on loopback (key material made at start by {@link
 * LocalProcessCluster}'s development CA). Everything lives in a fresh temporary directory, deleted
 * by {@link #close()} after the actor systems stopped.
 */
final class RemoteBenchCluster implements BenchGroup, AutoCloseable {

  private static final String GROUP = "bench";

  private final StorageKind storage;
  private final Path root;
  private final List<ActorSystem<Void>> systems = new ArrayList<>();
  private final List<ActorRef<RaftPeer.Command>> peers = new ArrayList<>();
  private final List<CountingStorage> counted = new ArrayList<>();
  private final List<JournaledRaftStorage> journaled = new ArrayList<>();
  private final List<ActorSystem<Void>> journalSystems = new ArrayList<>();

  private RemoteBenchCluster(StorageKind storage, Path root) {
    this.storage = storage;
    this.root = root;
  }

  /** Starts {@code nodes} peers, each in its own actor system, over TLS. */
  static RemoteBenchCluster start(StorageKind storage, int nodes, Path dataDir) throws IOException {
    Path root = Files.createTempDirectory(Files.createDirectories(dataDir), "keel-tls-bench-");
    RemoteBenchCluster cluster = new RemoteBenchCluster(storage, root);
    try {
      LocalProcessCluster layout = LocalProcessCluster.create(root, nodes, ConfigFactory.empty());
      for (String member : layout.members().keySet()) {
        cluster.startPeer(layout.memberConfig(member));
      }
    } catch (RuntimeException | IOException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  private void startPeer(Config config) {
    NodeSettings node = NodeSettings.fromConfig(config);
    ActorSystem<Void> system =
        ActorSystem.create(Behaviors.empty(), node.systemName(), node.actorSystemConfig(config));
    systems.add(system);
    RemotePeerTransport transport = RemotePeerTransport.create(system, node, GROUP);
    CountingStorage storage = new CountingStorage(storageFor(system, node.name()));
    counted.add(storage);
    peers.add(
        transport.spawnPeer(
            RaftPeer.setup(
                    node.name(), node.memberNames(), transport, storage, BytesKvStateMachine::new)
                .settings(RaftSettings.fromConfig(system.settings().config()))
                .random(new SplittableRandom(node.name().hashCode()))
                .build()));
  }

  private RaftStorage storageFor(ActorSystem<Void> system, String id) {
    if (storage == StorageKind.MEMORY) {
      return new InMemoryRaftStorage();
    }
    JournaledRaftStorage journal =
        JournaledRaftStorage.builder(system, GROUP, id).rocksDb(root.resolve("data/" + id)).build();
    journaled.add(journal);
    journalSystems.add(system);
    return journal;
  }

  @Override
  public StorageKind storage() {
    return storage;
  }

  @Override
  public @Nullable String dataFileSystem() {
    return BenchGroup.fileSystemOf(storage == StorageKind.MEMORY ? null : root);
  }

  /** Summed over the peers, as {@link BenchCluster#counters()} does. */
  @Override
  public StorageCounters counters() {
    return StorageCounters.sum(
        counted, journaled, journal -> journalSystems.get(journaled.indexOf(journal)));
  }

  /** Waits up to 60 s for a leader; returns the index of its peer (and actor system). */
  int awaitLeader() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < peers.size(); i++) {
        PeerStatus status =
            AskPattern.<RaftPeer.Command, PeerStatus>ask(
                    peers.get(i),
                    RaftPeer.GetStatus::new,
                    Duration.ofSeconds(5),
                    systems.get(i).scheduler())
                .toCompletableFuture()
                .get();
        if (status.role() == PeerStatus.Role.LEADER) {
          return i;
        }
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    throw new IllegalStateException("no leader within 60 s");
  }

  ActorSystem<Void> system(int index) {
    return systems.get(index);
  }

  ActorRef<RaftPeer.Command> peer(int index) {
    return peers.get(index);
  }

  /** Stops every actor system (and so the peers and journals), then deletes the directory. */
  @Override
  public void close() {
    for (ActorSystem<Void> system : systems) {
      system.terminate();
    }
    for (ActorSystem<Void> system : systems) {
      try {
        system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("an actor system of the benchmark did not stop", e);
      }
    }
    BenchCluster.deleteRecursively(root);
  }
}
