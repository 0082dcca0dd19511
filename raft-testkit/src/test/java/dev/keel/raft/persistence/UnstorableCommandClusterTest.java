package dev.keel.raft.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import dev.keel.raft.persistence.JournaledClusterTest.AppendedCommands;
import dev.keel.raft.persistence.journal.JournaledRaftStorage;
import dev.keel.raft.testkit.Await;
import dev.keel.raft.testkit.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 3-peer cluster on {@link JournaledRaftStorage}: a write whose command the journal cannot store
 * is answered {@link RaftReply.Rejected} by the leader, and the peers keep serving (before the
 * check, the bad entry failed every peer's storage and stopped it).
 */
class UnstorableCommandClusterTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  @TempDir Path dir;

  private ActorTestKit kit;

  /** A command class no serializer is bound to. */
  record Unbound(String text) {}

  @AfterEach
  void shutdown() {
    if (kit != null) {
      kit.shutdownTestKit();
    }
  }

  @Test
  void aCommandWithoutASerializerIsRejectedAndTheClusterKeepsServing() throws Exception {
    kit = ActorTestKit.create();
    try (TestCluster<String, String, String> cluster =
        TestCluster.builder(AppendedCommands::new)
            .nodes(3)
            .seed(71)
            .storage(
                id ->
                    JournaledRaftStorage.builder(kit.system(), "unstorable", id)
                        .rocksDb(dir.resolve(id))
                        .build())
            .start(kit.system())) {
      String leader = cluster.awaitLeader(TIMEOUT);
      assertThat(cluster.write(leader, "before")).isInstanceOf(RaftReply.Ok.class);
      long term = status(cluster, leader).term();

      RaftReply<String> reply = writeUnbound(cluster, leader);

      assertThat(reply)
          .isInstanceOfSatisfying(
              RaftReply.Rejected.class,
              rejected ->
                  assertThat(rejected.reason())
                      .contains(Unbound.class.getName())
                      .contains("pekko.actor.serialization-bindings"));
      RaftReply<String> after = cluster.write(leader, "after");
      assertThat(after).isInstanceOf(RaftReply.Ok.class);
      long afterIndex = ((RaftReply.Ok<String>) after).index();
      Await.until(
          "every peer running and applied the write after the rejected one",
          TIMEOUT,
          () ->
              cluster.ids().stream()
                  .map(cluster::status)
                  .allMatch(status -> status != null && status.lastApplied() >= afterIndex));
      PeerStatus leaderStatus = status(cluster, leader);
      assertThat(leaderStatus.role()).isEqualTo(PeerStatus.Role.LEADER);
      assertThat(leaderStatus.term()).isEqualTo(term);
      assertThat(cluster.read(leader, "all", RaftPeer.ReadConsistency.LINEARIZABLE))
          .isEqualTo(new RaftReply.Ok<>("before,after", afterIndex));
    }
  }

  /**
   * Writes an {@link Unbound} command to {@code peer} (the String-typed cluster cannot), waiting a
   * little longer than the peer's request timeout; no answer by then counts as TimedOut.
   */
  private RaftReply<String> writeUnbound(TestCluster<String, String, String> cluster, String peer)
      throws Exception {
    Duration timeout = TestCluster.fastSettings().requestTimeout().plusSeconds(2);
    return AskPattern.<RaftPeer.Command, RaftReply<String>>ask(
            cluster.peer(peer),
            replyTo -> new RaftPeer.Write<>(new Unbound("not storable"), replyTo),
            timeout,
            kit.system().scheduler())
        .exceptionally(askTimedOut -> new RaftReply.TimedOut<>())
        .toCompletableFuture()
        .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
  }

  private static PeerStatus status(TestCluster<String, String, String> cluster, String id) {
    PeerStatus status = cluster.status(id);
    assertThat(status).as("status of %s", id).isNotNull();
    return status;
  }
}
