package dev.keel.raft.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import dev.keel.raft.StateMachine;
import dev.keel.raft.persistence.JournaledClusterTest.AppendedCommands;
import dev.keel.raft.persistence.journal.JournaledRaftStorage;
import dev.keel.raft.testkit.Await;
import dev.keel.raft.testkit.TestCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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

  /**
   * A command class bound to Keel's Kryo serializer and registered, whose payload may be of any
   * class: an instance holding an unregistered payload cannot be written although its class can.
   */
  record Wrapped(Object payload) {}

  /** Appends each command's description: a state machine for commands of any class. */
  static final class DescribedCommands implements StateMachine<Object, String, String> {
    private final List<String> applied = new ArrayList<>();

    @Override
    public String apply(Object command) {
      applied.add(String.valueOf(command));
      return applied.get(applied.size() - 1);
    }

    @Override
    public String query(String query) {
      return String.join(",", applied);
    }

    @Override
    public void snapshot(OutputStream out) throws IOException {
      throw new IOException("no snapshots in this test");
    }

    @Override
    public void restore(InputStream in) throws IOException {
      throw new IOException("no snapshots in this test");
    }
  }

  private static final String WRAPPED_BOUND =
      "pekko.actor.serialization-bindings {\""
          + Wrapped.class.getName()
          + "\" = keel-kryo }\n"
          + "keel.serialization.kryo.registrations {\""
          + Wrapped.class.getName()
          + "\" = 1000 }";

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
        journaledCluster(AppendedCommands::new, "unstorable", 71)) {
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
      awaitEveryPeerApplied(cluster, afterIndex);
      PeerStatus leaderStatus = status(cluster, leader);
      assertThat(leaderStatus.role()).isEqualTo(PeerStatus.Role.LEADER);
      assertThat(leaderStatus.term()).isEqualTo(term);
      assertThat(cluster.read(leader, "all", RaftPeer.ReadConsistency.LINEARIZABLE))
          .isEqualTo(new RaftReply.Ok<>("before,after", afterIndex));
    }
  }

  @Test
  void aBadInstanceOfAStorableClassIsRejectedAndTheClusterKeepsServing() throws Exception {
    kit =
        ActorTestKit.create(
            ConfigFactory.parseString(WRAPPED_BOUND).withFallback(ConfigFactory.load()));
    try (TestCluster<Object, String, String> cluster =
        journaledCluster(DescribedCommands::new, "bad-instance", 72)) {
      String leader = cluster.awaitLeader(TIMEOUT);
      assertThat(cluster.write(leader, "before")).isInstanceOf(RaftReply.Ok.class);
      assertThat(write(cluster, leader, new Wrapped("plain payload")))
          .as("an instance Kryo can write")
          .isInstanceOf(RaftReply.Ok.class);
      long term = status(cluster, leader).term();

      RaftReply<String> reply = write(cluster, leader, new Wrapped(new Unbound("nested")));

      assertThat(reply)
          .isInstanceOfSatisfying(
              RaftReply.Rejected.class,
              rejected -> assertThat(rejected.reason()).contains(Wrapped.class.getName()));
      RaftReply<String> after = cluster.write(leader, "after");
      assertThat(after).as("the leader keeps serving").isInstanceOf(RaftReply.Ok.class);
      long afterIndex = ((RaftReply.Ok<String>) after).index();
      awaitEveryPeerApplied(cluster, afterIndex);
      assertThat(status(cluster, leader).term()).isEqualTo(term);
    }
  }

  /** Three peers on the real RocksDB journal in this test's directory, in the current kit. */
  private <C, Q, R> TestCluster<C, Q, R> journaledCluster(
      Supplier<? extends StateMachine<C, Q, R>> stateMachine, String persistenceName, long seed) {
    return TestCluster.builder(stateMachine)
        .nodes(3)
        .seed(seed)
        .storage(
            id ->
                JournaledRaftStorage.builder(kit.system(), persistenceName, id)
                    .rocksDb(dir.resolve(id))
                    .build())
        .start(kit.system());
  }

  /** Waits until every peer runs and has applied {@code index}: none was stopped. */
  private static void awaitEveryPeerApplied(TestCluster<?, ?, ?> cluster, long index) {
    Await.until(
        "every peer running and applied the write after the rejected one",
        TIMEOUT,
        () ->
            cluster.ids().stream()
                .map(cluster::status)
                .allMatch(status -> status != null && status.lastApplied() >= index));
  }

  /**
   * Writes an {@link Unbound} command to {@code peer} (the String-typed cluster cannot), waiting a
   * little longer than the peer's request timeout; no answer by then counts as TimedOut.
   */
  private RaftReply<String> writeUnbound(TestCluster<String, String, String> cluster, String peer)
      throws Exception {
    return write(cluster, peer, new Unbound("not storable"));
  }

  /** Writes any command to {@code peer}; no answer by the request timeout counts as TimedOut. */
  private RaftReply<String> write(TestCluster<?, ?, ?> cluster, String peer, Object command)
      throws Exception {
    Duration timeout = TestCluster.fastSettings().requestTimeout().plusSeconds(2);
    return AskPattern.<RaftPeer.Command, RaftReply<String>>ask(
            cluster.peer(peer),
            replyTo -> new RaftPeer.Write<>(command, replyTo),
            timeout,
            kit.system().scheduler())
        .exceptionally(askTimedOut -> new RaftReply.TimedOut<>())
        .toCompletableFuture()
        .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
  }

  private static PeerStatus status(TestCluster<?, ?, ?> cluster, String id) {
    PeerStatus status = cluster.status(id);
    assertThat(status).as("status of %s", id).isNotNull();
    return status;
  }
}
