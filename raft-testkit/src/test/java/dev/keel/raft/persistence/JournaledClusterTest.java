package dev.keel.raft.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.RaftReply;
import dev.keel.raft.StateMachine;
import dev.keel.raft.persistence.journal.JournaledRaftStorage;
import dev.keel.raft.testkit.Await;
import dev.keel.raft.testkit.TestCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A 3-peer cluster on {@link JournaledRaftStorage} with one RocksDB journal directory per peer:
 * every write acknowledged to a client survives peer crashes and restarts, and a whole new actor
 * system on the same directories.
 */
class JournaledClusterTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  @TempDir Path dir;

  private ActorTestKit kit;
  private final List<String> acknowledged = new ArrayList<>();

  @AfterEach
  void shutdown() {
    if (kit != null) {
      kit.shutdownTestKit();
    }
  }

  /** Every command applied, in order; queries return them joined by commas. */
  static final class AppendedCommands implements StateMachine<String, String, String> {
    private final List<String> applied = new ArrayList<>();

    @Override
    public String apply(String command) {
      applied.add(command);
      return command;
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

  private TestCluster<String, String, String> start(ActorSystem<?> system, long seed) {
    return TestCluster.builder(AppendedCommands::new)
        .nodes(3)
        .seed(seed)
        .storage(
            id ->
                JournaledRaftStorage.builder(system, "journaled-cluster", id)
                    .rocksDb(dir.resolve(id))
                    .build())
        .start(system);
  }

  /** Writes {@code count} commands through the leader; remembers the acknowledged ones. */
  private void write(TestCluster<String, String, String> cluster, String prefix, int count) {
    for (int i = 0; i < count; i++) {
      String command = prefix + "-" + i;
      RaftReply<String> reply = cluster.writeToLeader(command, TIMEOUT);
      if (reply instanceof RaftReply.Ok<String>) {
        acknowledged.add(command);
      }
    }
  }

  /** Asserts that a linearizable read through the leader sees every acknowledged write. */
  private void assertAcknowledgedWritesSurvive(TestCluster<String, String, String> cluster) {
    String state =
        Await.result(
            "a linearizable read",
            TIMEOUT,
            () ->
                cluster.readFromLeader("all", TIMEOUT) instanceof RaftReply.Ok<String> ok
                    ? ok.result()
                    : null);
    assertThat(Arrays.asList(state.split(","))).containsAll(acknowledged);
  }

  @Test
  void acknowledgedWritesSurviveCrashesAndRestartsOfAFollowerAndTheLeader() {
    kit = ActorTestKit.create();
    try (TestCluster<String, String, String> cluster = start(kit.system(), 31)) {
      String leader = cluster.awaitLeader(TIMEOUT);
      write(cluster, "first", 20);

      String follower = cluster.ids().stream().filter(id -> !id.equals(leader)).findFirst().get();
      cluster.crash(follower);
      write(cluster, "follower-down", 20);
      cluster.restart(follower);
      write(cluster, "follower-back", 10);

      String oldLeader = cluster.awaitLeader(TIMEOUT);
      cluster.crash(oldLeader);
      write(cluster, "leader-down", 20);
      cluster.restart(oldLeader);
      write(cluster, "leader-back", 10);

      assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(70);
      assertAcknowledgedWritesSurvive(cluster);
    }
  }

  @Test
  void acknowledgedWritesSurviveANewActorSystemOnTheSameDirectories() {
    kit = ActorTestKit.create();
    TestCluster<String, String, String> before = start(kit.system(), 47);
    before.awaitLeader(TIMEOUT);
    write(before, "before", 60);
    assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(50);

    // Abruptly: the peers are not stopped first, the system just goes.
    kit.shutdownTestKit();
    kit = ActorTestKit.create();
    try (TestCluster<String, String, String> after = start(kit.system(), 48)) {
      after.awaitLeader(TIMEOUT);
      assertAcknowledgedWritesSurvive(after);
      write(after, "after", 5);
      assertAcknowledgedWritesSurvive(after);
    }
  }

  /**
   * Kills the whole actor system while three clients are writing, for several seeds: whatever was
   * acknowledged before the kill is there after a restart on the same directories.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {61, 62, 63})
  void acknowledgedWritesSurviveASystemKilledDuringAWriteLoad(long seed) throws Exception {
    kit = ActorTestKit.create();
    TestCluster<String, String, String> before = start(kit.system(), seed);
    before.awaitLeader(TIMEOUT);
    Set<String> acked = ConcurrentHashMap.newKeySet();
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      int writer = w;
      writers.add(
          new Thread(
              () -> {
                for (int n = 0; running.get() && n < 100_000; n++) {
                  String command = "w" + writer + "-" + n;
                  try {
                    if (before.writeToLeader(command, Duration.ofSeconds(1))
                        instanceof RaftReply.Ok<String>) {
                      acked.add(command);
                    }
                  } catch (RuntimeException systemGone) {
                    return; // the actor system was killed under this write
                  }
                }
              }));
    }
    writers.forEach(Thread::start);
    Await.until("some writes acknowledged (seed " + seed + ")", TIMEOUT, () -> acked.size() >= 30);
    Await.pause(Duration.ofMillis(50 + seed % 7 * 40));
    kit.shutdownTestKit(); // abruptly, with writes in flight
    running.set(false);
    for (Thread writer : writers) {
      writer.join(TIMEOUT.toMillis());
    }
    acknowledged.addAll(acked);

    kit = ActorTestKit.create();
    try (TestCluster<String, String, String> after = start(kit.system(), seed + 1000)) {
      after.awaitLeader(TIMEOUT);
      assertAcknowledgedWritesSurvive(after);
    }
  }
}
