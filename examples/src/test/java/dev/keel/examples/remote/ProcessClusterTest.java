package dev.keel.examples.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftClient;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import dev.keel.raft.remote.NodeSettings;
import dev.keel.raft.remote.RemotePeerTransport;
import dev.keel.raft.testkit.Await;
import dev.keel.raft.testkit.kv.KvCommand;
import dev.keel.raft.testkit.kv.KvQuery;
import dev.keel.raft.testkit.kv.KvResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@link KvNode} processes on loopback over mutual TLS with durable storage: the leader's
 * process is killed with {@code kill -9}, another member takes over, the killed process restarts on
 * its data directory and catches up, and no acknowledged write is lost.
 */
class ProcessClusterTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void survivesKill9OfTheLeaderWithoutLosingAnAcknowledgedWrite() throws Exception {
    Config settings =
        ConfigFactory.parseString(
            """
            keel.raft.request-timeout = 2s
            keel.client.attempt-timeout = 3s
            keel.client.deadline = 20s
            """);
    try (LocalProcessCluster cluster = LocalProcessCluster.create(dir, 3, settings)) {
      cluster.startAll(List.of("n1", "n2", "n3"));
      Config clientConfig = cluster.clientConfig();
      NodeSettings clientNode = NodeSettings.fromConfig(clientConfig);
      ActorSystem<Void> system =
          ActorSystem.create(
              Behaviors.empty(),
              clientNode.systemName(),
              clientNode.actorSystemConfig(clientConfig));
      try {
        Map<String, ActorRef<RaftPeer.Command>> peers =
            RemotePeerTransport.peers(system, KvNode.GROUP, cluster.members());
        RaftClient<KvCommand, KvQuery, KvResult> client = RaftClient.create(system, peers);
        Map<String, String> acknowledged = new LinkedHashMap<>();

        write(client, acknowledged, "before", 20);
        String leader = awaitLeader(system, peers, null);
        long pid = cluster.pid(leader);
        cluster.kill(leader);
        assertThat(ProcessHandle.of(pid)).isEmpty();

        write(client, acknowledged, "after", 20);
        String successor = awaitLeader(system, peers, leader);
        assertThat(successor).isNotEqualTo(leader);

        cluster.start(leader);
        for (String member : cluster.members().keySet()) {
          Await.until(
              member + " holds every acknowledged write",
              WAIT,
              () ->
                  acknowledged.entrySet().stream()
                      .allMatch(
                          e ->
                              e.getValue()
                                  .equals(localRead(system, peers.get(member), e.getKey()))));
        }
      } finally {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Writes until {@code count} writes were acknowledged; remembers them. */
  private static void write(
      RaftClient<KvCommand, KvQuery, KvResult> client,
      Map<String, String> acknowledged,
      String prefix,
      int count)
      throws Exception {
    int ok = 0;
    for (int i = 0; ok < count; i++) {
      assertThat(i).as("attempts to get %d %s writes acknowledged", count, prefix).isLessThan(200);
      String key = prefix + "-" + i;
      RaftReply<KvResult> reply =
          client
              .write(new KvCommand.Put(key, "v" + i))
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
      if (reply.isOk()) {
        acknowledged.put(key, "v" + i);
        ok++;
      }
    }
  }

  /** Waits until a member other than {@code not} says it leads; returns its name. */
  private static String awaitLeader(
      ActorSystem<?> system, Map<String, ActorRef<RaftPeer.Command>> peers, @Nullable String not) {
    String[] leader = new String[1];
    Await.until(
        "a leader other than " + not,
        WAIT,
        () -> {
          for (Map.Entry<String, ActorRef<RaftPeer.Command>> peer : peers.entrySet()) {
            if (peer.getKey().equals(not)) {
              continue;
            }
            PeerStatus status = ask(system, peer.getValue(), RaftPeer.GetStatus::new);
            if (status != null && status.role() == PeerStatus.Role.LEADER) {
              leader[0] = status.name();
              return true;
            }
          }
          return false;
        });
    return leader[0];
  }

  private static @Nullable String localRead(
      ActorSystem<?> system, ActorRef<RaftPeer.Command> peer, String key) {
    RaftReply<KvResult> reply =
        ask(
            system,
            peer,
            replyTo ->
                new RaftPeer.Read<KvQuery, KvResult>(
                    new KvQuery(key), RaftPeer.ReadConsistency.LOCAL, replyTo));
    return reply instanceof RaftReply.Ok<KvResult> ok ? ok.result().value() : null;
  }

  private static <T> @Nullable T ask(
      ActorSystem<?> system,
      ActorRef<RaftPeer.Command> peer,
      java.util.function.Function<ActorRef<T>, RaftPeer.Command> message) {
    try {
      return AskPattern.ask(peer, message::apply, Duration.ofSeconds(2), system.scheduler())
          .toCompletableFuture()
          .get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      return null;
    }
  }
}
