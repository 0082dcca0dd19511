package dev.keel.examples.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.keel.examples.remote.KvNode;
import dev.keel.examples.remote.LocalProcessCluster;
import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import dev.keel.raft.RaftSettings;
import dev.keel.raft.remote.NodeSettings;
import dev.keel.raft.remote.RemotePeerTransport;
import dev.keel.raft.testkit.kv.KvCommand;
import dev.keel.raft.testkit.kv.KvResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.jspecify.annotations.Nullable;

/**
 * Election and failover time of a 3-process Keel cluster over mutual TLS on loopback ({@link
 * KvNode} processes with durable storage, default {@code keel.raft} timeouts): under a light write
 * load, the leader's process is killed with {@code kill -9}; {@code election_ms} is the time until
 * a survivor reports itself leader, {@code failover_ms} until a write sent to the survivors is
 * committed (DESIGN §6: leader killed under load → first write committed by the new leader). Writes
 * go to every survivor every 10 ms from the kill on, so the measure does not depend on a client's
 * guess of the leader. The killed process is restarted and caught up before the next round. Prints
 * one JSON line per round, then one with the medians.
 *
 * <p>System properties: {@code bench.rounds} (default 5), {@code bench.dir} (default {@code
 * java.io.tmpdir}).
 */
public final class RemoteFailoverBenchmark {

  private static final Duration ASK = Duration.ofSeconds(2);

  private RemoteFailoverBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args none
   * @throws Exception if a process or the client fails
   */
  public static void main(String[] args) throws Exception {
    int rounds = Integer.getInteger("bench.rounds", 5);
    Path root =
        Files.createTempDirectory(
            Files.createDirectories(
                Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir")))),
            "keel-failover-");
    try (LocalProcessCluster cluster = LocalProcessCluster.create(root, 3, ConfigFactory.empty())) {
      cluster.startAll(List.copyOf(cluster.members().keySet()));
      Config clientConfig = cluster.clientConfig();
      NodeSettings node = NodeSettings.fromConfig(clientConfig);
      ActorSystem<Void> client =
          ActorSystem.create(
              Behaviors.empty(), node.systemName(), node.actorSystemConfig(clientConfig));
      try {
        Map<String, ActorRef<RaftPeer.Command>> peers =
            RemotePeerTransport.peers(client, KvNode.GROUP, cluster.members());
        List<Long> elections = new ArrayList<>();
        List<Long> failovers = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
          long[] result = round(cluster, client, peers);
          elections.add(result[0]);
          failovers.add(result[1]);
          System.out.println(line(round, result[0], result[1], clientConfig).toString());
        }
        System.out.println(
            line(0, median(elections), median(failovers), clientConfig)
                .add("rounds", rounds)
                .toString());
      } finally {
        client.terminate();
        client.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    } finally {
      BenchCluster.deleteRecursively(root);
    }
  }

  /** One kill: returns election and failover time in milliseconds. */
  private static long[] round(
      LocalProcessCluster cluster,
      ActorSystem<Void> client,
      Map<String, ActorRef<RaftPeer.Command>> peers)
      throws Exception {
    String leader = awaitStableLeader(client, peers);
    List<ActorRef<RaftPeer.Command>> survivors =
        peers.entrySet().stream()
            .filter(e -> !e.getKey().equals(leader))
            .map(Map.Entry::getValue)
            .toList();
    long killed = System.nanoTime();
    cluster.kill(leader);
    AtomicLong elected = new AtomicLong();
    AtomicLong committed = new AtomicLong();
    long deadline = killed + TimeUnit.SECONDS.toNanos(30);
    for (int probe = 0; committed.get() == 0 && System.nanoTime() < deadline; probe++) {
      for (ActorRef<RaftPeer.Command> peer : survivors) {
        if (elected.get() == 0) {
          status(client, peer)
              .thenAccept(
                  s -> {
                    if (s.role() == PeerStatus.Role.LEADER) {
                      elected.compareAndSet(0, System.nanoTime());
                    }
                  });
        }
        write(client, peer, "failover-" + probe)
            .thenAccept(
                reply -> {
                  if (reply.isOk()) {
                    committed.compareAndSet(0, System.nanoTime());
                  }
                });
      }
      TimeUnit.MILLISECONDS.sleep(10);
    }
    if (committed.get() == 0) {
      throw new IllegalStateException("no write committed within 30 s of killing " + leader);
    }
    cluster.start(leader);
    long electedAt =
        elected.get() == 0 ? committed.get() : Math.min(elected.get(), committed.get());
    return new long[] {
      TimeUnit.NANOSECONDS.toMillis(electedAt - killed),
      TimeUnit.NANOSECONDS.toMillis(committed.get() - killed)
    };
  }

  /**
   * Waits until one member leads and every member, the restarted one included, has applied all it
   * committed; returns the leader.
   */
  private static String awaitStableLeader(
      ActorSystem<Void> client, Map<String, ActorRef<RaftPeer.Command>> peers) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      write(client, peers.values().iterator().next(), "settle").toCompletableFuture().get();
      List<PeerStatus> statuses = new ArrayList<>();
      for (ActorRef<RaftPeer.Command> peer : peers.values()) {
        PeerStatus status =
            status(client, peer).exceptionally(e -> null).toCompletableFuture().get();
        if (status != null) {
          statuses.add(status);
        }
      }
      PeerStatus leader = leaderOf(statuses);
      if (statuses.size() == peers.size()
          && leader != null
          && statuses.stream().allMatch(s -> s.lastApplied() >= leader.commitIndex() - 1)) {
        return leader.name();
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new IllegalStateException("the cluster did not settle within 60 s");
  }

  private static @Nullable PeerStatus leaderOf(List<PeerStatus> statuses) {
    return statuses.stream()
        .filter(s -> s.role() == PeerStatus.Role.LEADER)
        .findFirst()
        .orElse(null);
  }

  private static CompletionStage<PeerStatus> status(
      ActorSystem<Void> client, ActorRef<RaftPeer.Command> peer) {
    return AskPattern.ask(peer, RaftPeer.GetStatus::new, ASK, client.scheduler());
  }

  private static CompletionStage<RaftReply<KvResult>> write(
      ActorSystem<Void> client, ActorRef<RaftPeer.Command> peer, String key) {
    CompletableFuture<RaftReply<KvResult>> reply = new CompletableFuture<>();
    AskPattern.<RaftPeer.Command, RaftReply<KvResult>>ask(
            peer,
            replyTo -> new RaftPeer.Write<>(new KvCommand.Put(key, "v"), replyTo),
            ASK,
            client.scheduler())
        .whenComplete(
            (answer, failure) ->
                reply.complete(answer != null ? answer : new RaftReply.TimedOut<>()));
    return reply;
  }

  private static JsonLine line(int round, long electionMs, long failoverMs, Config config) {
    RaftSettings settings = RaftSettings.fromConfig(config);
    return new JsonLine()
        .add("impl", "keel")
        .add("topology", "loopback-tls")
        .add("processes", 3)
        .add("storage", "durable-fsync")
        .add("round", round == 0 ? "median" : Integer.toString(round))
        .add("election_ms", electionMs)
        .add("failover_ms", failoverMs)
        .add(
            "election_timeout_ms",
            settings.electionTimeoutMin().toMillis()
                + "-"
                + settings.electionTimeoutMax().toMillis())
        .add("heartbeat_ms", settings.heartbeatInterval().toMillis())
        .add("host_cpus", Runtime.getRuntime().availableProcessors())
        .add("load_avg_1m", HostLoad.loadAverage(), 2);
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
