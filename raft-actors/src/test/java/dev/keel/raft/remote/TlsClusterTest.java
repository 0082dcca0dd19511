package dev.keel.raft.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.keel.raft.RaftClient;
import dev.keel.raft.RaftReply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three members in three actor systems of this JVM, over Artery with mutual TLS on loopback, with
 * durable storage: election, replication through {@link RaftClient}, a member restarted as a new
 * actor system at the same address catching up, and linearizable reads across a leader change.
 */
class TlsClusterTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void electsReplicatesSurvivesRestartsAndReadsLinearizablyAcrossALeaderChange() throws Exception {
    try (TlsCluster cluster = TlsCluster.start(dir, 3, true, ConfigFactory.empty())) {
      RaftClient<String, String, List<String>> client = cluster.client();
      List<String> written = new ArrayList<>();
      writeAll(client, written, "a", 10);
      String leader = cluster.awaitLeader(WAIT);
      cluster.awaitReplicated(written, WAIT);

      // A follower's actor system goes away; a new one starts at the same address, same storage.
      String follower = cluster.names.stream().filter(n -> !n.equals(leader)).findFirst().get();
      cluster.stop(follower);
      writeAll(client, written, "b", 10);
      cluster.restart(follower);
      cluster.awaitReplicated(written, WAIT);

      // The leader's actor system goes away: reads and writes continue with the new leader.
      cluster.stop(leader);
      assertThat(read(client)).isEqualTo(written);
      writeAll(client, written, "c", 5);
      assertThat(read(client)).isEqualTo(written);
      assertThat(cluster.awaitLeader(WAIT)).isNotEqualTo(leader);
      cluster.restart(leader);
      cluster.awaitReplicated(written, WAIT);
    }
  }

  private static void writeAll(
      RaftClient<String, String, List<String>> client, List<String> written, String prefix, int n)
      throws Exception {
    for (int i = 0; i < n; i++) {
      String value = prefix + i;
      RaftReply<List<String>> reply =
          client.write(value).toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertThat(reply).as("write %s", value).isInstanceOf(RaftReply.Ok.class);
      written.add(value);
    }
  }

  private static List<String> read(RaftClient<String, String, List<String>> client)
      throws Exception {
    RaftReply<List<String>> reply =
        client.read(AppendLog.ALL).toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(reply).isInstanceOf(RaftReply.Ok.class);
    return ((RaftReply.Ok<List<String>>) reply).result();
  }
}
