package dev.keel.examples.bench;

import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftSettings;
import dev.keel.raft.persistence.InMemoryRaftStorage;
import dev.keel.raft.persistence.RaftStorage;
import dev.keel.raft.persistence.journal.JournaledRaftStorage;
import dev.keel.raft.persistence.rocksdb.RocksDbStatistics;
import dev.keel.raft.testkit.InProcessNetwork;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.jspecify.annotations.Nullable;

/**
 * A Raft group of {@code n} peers in a fresh actor system, connected by an in-process network, with
 * the benchmark's key-value state machine. With durable storage every peer gets its own RocksDB
 * journal in its own sub-directory of a fresh temporary directory, which {@link #close()} deletes
 * after the actor system (and so every journal) has stopped.
 */
final class BenchCluster implements AutoCloseable {

  private static final String GROUP = "bench";

  private final ActorSystem<Void> system;
  private final StorageKind storage;
  private final @Nullable Path root;
  private final List<CountingStorage> counted = new ArrayList<>();
  private final List<JournaledRaftStorage> journaled = new ArrayList<>();
  private final List<NodeAgent.LocalPeer> localPeers = new ArrayList<>();
  private final Map<String, ActorRef<RaftPeer.Command>> members = new LinkedHashMap<>();
  // Deletes a durable group's directory if the driver is stopped before close() (best effort: the
  // journals may still be writing while the JVM goes down).
  private final Thread onExit = new Thread(this::deleteQuietly, "keel-bench-cluster-cleanup");

  private BenchCluster(ActorSystem<Void> system, StorageKind storage, @Nullable Path root) {
    this.system = system;
    this.storage = storage;
    this.root = root;
    if (root != null) {
      Runtime.getRuntime().addShutdownHook(onExit);
    }
  }

  /**
   * Starts the peers (they elect a leader on their own; see {@link #awaitLeader()}).
   *
   * @param storage where the peers keep their state
   * @param nodes how many peers
   * @param dataDir where a durable group creates its temporary directory
   */
  static BenchCluster start(StorageKind storage, int nodes, Path dataDir) throws IOException {
    Path root =
        storage == StorageKind.DURABLE_FSYNC
            ? Files.createTempDirectory(Files.createDirectories(dataDir), "keel-bench-")
            : null;
    BenchCluster cluster =
        new BenchCluster(ActorSystem.create(Behaviors.empty(), GROUP), storage, root);
    try {
      cluster.startPeers(nodes);
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  private void startPeers(int nodes) {
    List<String> members = new ArrayList<>();
    for (int i = 1; i <= nodes; i++) {
      members.add("n" + i);
    }
    InProcessNetwork network = new InProcessNetwork(system, 1);
    RaftSettings settings = RaftSettings.fromConfig(system.settings().config());
    for (String id : members) {
      JournaledRaftStorage journal = null;
      RaftStorage inner = storageFor(id);
      if (inner instanceof JournaledRaftStorage j) {
        journal = j;
      }
      CountingStorage storage = new CountingStorage(inner);
      counted.add(storage);
      CountingTransport transport = new CountingTransport(network.transportFor(id), system);
      RaftPeer.Setup<byte[], Long, Long> setup =
          RaftPeer.setup(id, members, transport, storage, BytesKvStateMachine::new)
              .settings(settings)
              .random(new SplittableRandom(id.hashCode()))
              .build();
      ActorRef<RaftPeer.Command> peer =
          system.systemActorOf(RaftPeer.create(setup), "raft-" + id, Props.empty());
      network.register(id, peer);
      this.members.put(id, peer);
      localPeers.add(new NodeAgent.LocalPeer(peer, storage, journal, transport));
    }
  }

  private RaftStorage storageFor(String id) {
    if (root == null) {
      return new InMemoryRaftStorage();
    }
    // One directory, and so one journal plugin instance and one RocksDB, per peer.
    JournaledRaftStorage storage =
        JournaledRaftStorage.builder(system, GROUP, id).rocksDb(root.resolve(id)).build();
    journaled.add(storage);
    return storage;
  }

  /** An agent serving the benchmark suite's commands for all peers of this group. */
  NodeAgent agent() {
    return new NodeAgent(system, members, localPeers);
  }

  ActorSystem<Void> system() {
    return system;
  }

  /** Every peer's reference, by name. */
  Map<String, ActorRef<RaftPeer.Command>> members() {
    return members;
  }

  /** Where the peers keep their state. */
  StorageKind storage() {
    return storage;
  }

  /** The file system type holding the journals (e.g. ext4), or null for in-memory storage. */
  @Nullable String dataFileSystem() {
    return fileSystemOf(root);
  }

  /** The type of the file system holding {@code dir} (e.g. ext4); null for no directory. */
  static @Nullable String fileSystemOf(@Nullable Path dir) {
    try {
      return dir == null ? null : Files.getFileStore(dir).type();
    } catch (IOException e) {
      return "unknown";
    }
  }

  /**
   * The storage counters summed over all peers.
   *
   * <p>Fsyncs come from {@link RocksDbStatistics}: {@code batches} counts the synced RocksDB writes
   * the journal's writer thread really made, so it is the ground truth for fsyncs. Its {@code
   * events} are not log entries (one {@code EntriesAppended} event carries a whole group-committed
   * batch of entries, and term/vote changes are events too), and {@code
   * JournaledRaftStorage.Statistics} counts storage calls, not entries; so entries are counted by
   * {@link CountingStorage} as the peers hand them to storage.
   */
  StorageCounters counters() {
    return StorageCounters.sum(counted, journaled, system);
  }

  /** Waits up to 30 s for a peer to become leader. */
  ActorRef<RaftPeer.Command> awaitLeader() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      for (ActorRef<RaftPeer.Command> peer : members.values()) {
        PeerStatus status =
            AskPattern.<RaftPeer.Command, PeerStatus>ask(
                    peer, RaftPeer.GetStatus::new, Duration.ofSeconds(5), system.scheduler())
                .toCompletableFuture()
                .get();
        if (status.role() == PeerStatus.Role.LEADER) {
          return peer;
        }
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    throw new IllegalStateException("no leader within 30 s");
  }

  /** Stops the actor system (and so the peers and journals), then deletes the directories. */
  @Override
  public void close() {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the benchmark", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the benchmark's actor system did not stop", e);
    }
    if (root != null) {
      removeShutdownHook(onExit);
      deleteRecursively(root);
    }
  }

  private void deleteQuietly() {
    if (root != null && Files.exists(root)) {
      try {
        deleteRecursively(root);
      } catch (UncheckedIOException e) {
        // files still being written while the JVM stops; nothing more to do
      }
    }
  }

  /** Removes a cleanup hook once the normal close runs (a no-op if the JVM is shutting down). */
  static void removeShutdownHook(Thread hook) {
    if (Thread.currentThread() == hook) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down and runs the hook itself
    }
  }

  static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the benchmark directory " + dir, e);
    }
  }
}
