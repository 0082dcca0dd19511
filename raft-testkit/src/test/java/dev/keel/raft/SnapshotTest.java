package dev.keel.raft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.persistence.InMemoryRaftStorage;
import dev.keel.raft.persistence.StoredSnapshot;
import dev.keel.raft.protocol.RaftMessage;
import dev.keel.raft.testkit.Await;
import dev.keel.raft.testkit.TestCluster;
import dev.keel.raft.testkit.kv.KeyValueStateMachine;
import dev.keel.raft.testkit.kv.KvCommand;
import dev.keel.raft.testkit.kv.KvQuery;
import dev.keel.raft.testkit.kv.KvResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Snapshots, log compaction and chunked snapshot transfer (§7). */
class SnapshotTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final int CHUNK = 512;
  private static final String VALUE = "v".repeat(100);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static TestCluster<KvCommand, KvQuery, KvResult> cluster(long seed, long every) {
    return TestCluster.builder(KeyValueStateMachine::new)
        .nodes(3)
        .seed(seed)
        .settings(TestCluster.fastSettings().withSnapshots(every, CHUNK))
        .start(testKit.system());
  }

  private static long writeKeys(TestCluster<KvCommand, KvQuery, KvResult> cluster, int count) {
    long index = 0;
    for (int k = 0; k < count; k++) {
      RaftReply<KvResult> reply =
          cluster.writeToLeader(new KvCommand.Put("k" + k, VALUE + k), Duration.ofSeconds(10));
      assertThat(reply).isInstanceOf(RaftReply.Ok.class);
      index = ((RaftReply.Ok<KvResult>) reply).index();
    }
    return index;
  }

  private static InMemoryRaftStorage storage(TestCluster<?, ?, ?> cluster, String id) {
    return (InMemoryRaftStorage) cluster.storage(id);
  }

  @Test
  void laggingFollowerCatchesUpThroughChunkedSnapshotDespiteALostChunk() {
    try (TestCluster<KvCommand, KvQuery, KvResult> cluster = cluster(51, 50)) {
      String leader = cluster.awaitLeader(Duration.ofSeconds(10));
      String follower = cluster.ids().stream().filter(id -> !id.equals(leader)).findFirst().get();
      cluster.crash(follower);
      long lastIndex = writeKeys(cluster, 300);

      // The leader compacted its log behind a snapshot much larger than one chunk.
      Await.until(
          "the leader's snapshot",
          Duration.ofSeconds(10),
          () -> storage(cluster, leader).snapshot() != null);
      StoredSnapshot snapshot = storage(cluster, leader).snapshot();
      assertThat(snapshot.size()).isGreaterThan(10 * CHUNK);
      assertThat(storage(cluster, leader).entries().get(0).index())
          .isEqualTo(snapshot.metadata().lastIncludedIndex() + 1);

      // Lose the third chunk once: the follower asks again from the offset it has.
      AtomicInteger chunks = new AtomicInteger();
      AtomicInteger lost = new AtomicInteger();
      cluster
          .network()
          .setFilter(
              delivery -> {
                if (delivery.message() instanceof RaftMessage.InstallSnapshot chunk
                    && chunk.offset() > 0) {
                  if (chunks.incrementAndGet() == 2) {
                    lost.incrementAndGet();
                    return false;
                  }
                }
                return true;
              });
      cluster.restart(follower);
      Await.until(
          "the follower applied " + lastIndex,
          Duration.ofSeconds(20),
          () -> {
            PeerStatus status = cluster.status(follower);
            return status != null && status.lastApplied() >= lastIndex;
          });
      assertThat(lost).hasValue(1);
      assertThat(chunks.get()).isGreaterThan(10);
      assertThat(storage(cluster, follower).snapshot()).isNotNull();
      for (int k : List.of(0, 150, 299)) {
        RaftReply<KvResult> local =
            cluster.read(follower, new KvQuery("k" + k), RaftPeer.ReadConsistency.LOCAL);
        assertThat(((RaftReply.Ok<KvResult>) local).result().value()).isEqualTo(VALUE + k);
      }
      // After the snapshot, ordinary replication goes on.
      long next = writeKeys(cluster, 5);
      Await.until(
          "the follower applied " + next,
          Duration.ofSeconds(10),
          () -> {
            PeerStatus status = cluster.status(follower);
            return status != null && status.lastApplied() >= next;
          });
    }
  }

  @Test
  void peersRestartFromSnapshotPlusTheLogAfterIt() {
    try (TestCluster<KvCommand, KvQuery, KvResult> cluster = cluster(52, 40)) {
      cluster.awaitLeader(Duration.ofSeconds(10));
      long lastIndex = writeKeys(cluster, 100);
      Await.until(
          "every peer took a snapshot",
          Duration.ofSeconds(10),
          () -> cluster.ids().stream().allMatch(id -> storage(cluster, id).snapshot() != null));
      for (String id : cluster.ids()) {
        cluster.crash(id);
      }
      for (String id : cluster.ids()) {
        cluster.restart(id);
      }
      String leader = cluster.awaitLeader(Duration.ofSeconds(10));
      RaftReply<KvResult> read = cluster.readFromLeader(new KvQuery("k99"), Duration.ofSeconds(10));
      assertThat(((RaftReply.Ok<KvResult>) read).result().value()).isEqualTo(VALUE + 99);
      assertThat(((RaftReply.Ok<KvResult>) read).index()).isGreaterThan(lastIndex);
      assertThat(cluster.status(leader).commitIndex()).isGreaterThan(lastIndex);
    }
  }

  @Test
  void snapshotOnRequestCompactsTheLog() throws Exception {
    try (TestCluster<KvCommand, KvQuery, KvResult> cluster = cluster(53, 0)) {
      String leader = cluster.awaitLeader(Duration.ofSeconds(10));
      long lastIndex = writeKeys(cluster, 20);
      assertThat(storage(cluster, leader).snapshot()).as("automatic snapshots are off").isNull();
      CompletionStage<RaftReply<Long>> taken =
          AskPattern.ask(
              cluster.peer(leader),
              RaftPeer.TakeSnapshot::new,
              Duration.ofSeconds(5),
              testKit.system().scheduler());
      RaftReply<Long> reply = taken.toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(reply).isEqualTo(new RaftReply.Ok<>(lastIndex, lastIndex));
      assertThat(storage(cluster, leader).snapshot().metadata().lastIncludedIndex())
          .isEqualTo(lastIndex);
      assertThat(storage(cluster, leader).entries()).isEmpty();
    }
  }
}
