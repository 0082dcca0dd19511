package dev.keel.raft;

import static dev.keel.raft.ClusterChecks.CATCH_UP_WAIT;
import static dev.keel.raft.ClusterChecks.ELECTION_WAIT;
import static dev.keel.raft.ClusterChecks.assertAnswersAgreeWith;
import static dev.keel.raft.ClusterChecks.awaitAgreement;
import static dev.keel.raft.ClusterChecks.awaitConvergence;
import static dev.keel.raft.ClusterChecks.history;
import static dev.keel.raft.ClusterChecks.ok;
import static dev.keel.raft.ClusterChecks.sameHistoryEverywhere;
import static dev.keel.raft.ClusterChecks.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.ClusterChecks.Writers;
import dev.keel.raft.protocol.RaftMessage;
import dev.keel.raft.testkit.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Log replication: every replica applies the same commands in the same order (§5.3). */
class ReplicationTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static TestCluster<String, RecordingStateMachine.Query, List<String>> start(
      long seed, Supplier<RecordingStateMachine> stateMachine, RaftSettings settings) {
    return TestCluster.builder(stateMachine)
        .nodes(3)
        .seed(seed)
        .settings(settings)
        .start(testKit.system());
  }

  private static TestCluster<String, RecordingStateMachine.Query, List<String>> start(long seed) {
    return start(seed, RecordingStateMachine::create, TestCluster.fastSettings());
  }

  /** One write and its answer. */
  private record Written(String command, RaftReply.Ok<List<String>> reply) {}

  @Test
  void writesAreAppliedInTheSameOrderOnEveryPeer() throws Exception {
    long seed = 3;
    try (var cluster = start(seed)) {
      String leader = cluster.awaitLeader(ELECTION_WAIT);
      awaitAgreement(cluster, leader, status(cluster, leader).term(), ELECTION_WAIT);
      List<Written> written = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        String command = "seq-" + i;
        written.add(new Written(command, ok(cluster, cluster.write(leader, command), command)));
      }
      written.addAll(writeConcurrently(cluster, leader));
      assertThat(written).as("seed %d: answers", seed).hasSize(200);

      awaitConvergence(cluster, CATCH_UP_WAIT);
      List<String> applied = sameHistoryEverywhere(cluster);
      // Each write was applied once, in the order of the log indexes its answers report.
      List<String> byIndex =
          written.stream()
              .sorted(Comparator.comparingLong(w -> w.reply().index()))
              .map(Written::command)
              .toList();
      assertThat(applied).as("seed %d: applied commands", seed).isEqualTo(byIndex);
      assertThat(applied).as("seed %d", seed).doesNotHaveDuplicates().hasSize(200);
      for (Written w : written) {
        List<String> prefix = w.reply().result();
        assertThat(applied.subList(0, prefix.size()))
            .as("seed %d: state seen by %s when applied", seed, w.command())
            .isEqualTo(prefix);
      }
      // A client's writes, sent one after the other, take effect in that order.
      assertThat(applied)
          .as("seed %d", seed)
          .containsSubsequence(commands("seq-", 50))
          .containsSubsequence(commands("thread0-", 25))
          .containsSubsequence(commands("thread1-", 25))
          .containsSubsequence(commands("thread2-", 25));
    }
  }

  /** 150 writes at once: three client threads writing 25 each, and a burst of 75 asks. */
  private static List<Written> writeConcurrently(
      TestCluster<String, RecordingStateMachine.Query, List<String>> cluster, String leader)
      throws Exception {
    List<Written> written = new ArrayList<>();
    TestProbe<RaftReply<List<String>>> burst = testKit.createTestProbe();
    try (Writers threads = Writers.start(cluster, "thread", 3, 25, Duration.ofSeconds(10))) {
      for (int i = 0; i < 75; i++) {
        cluster.peer(leader).tell(new RaftPeer.Write<>("burst-" + i, burst.ref()));
      }
      for (int i = 0; i < 75; i++) {
        RaftReply.Ok<List<String>> reply =
            ok(cluster, burst.receiveMessage(Duration.ofSeconds(10)), "burst write");
        // The result is the leader's history up to this write: its last element names it.
        List<String> upToHere = reply.result();
        written.add(new Written(upToHere.get(upToHere.size() - 1), reply));
      }
      threads
          .await(Duration.ofSeconds(30))
          .forEach(
              (command, reply) -> written.add(new Written(command, ok(cluster, reply, command))));
    }
    return written;
  }

  private static List<String> commands(String prefix, int count) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(prefix + i);
    }
    return out;
  }

  @Test
  void writesOverALossyDuplicatingReorderingNetworkAreAppliedOnceInTheSameOrderEverywhere()
      throws Exception {
    long seed = 33;
    try (var cluster = start(seed)) {
      String leader = cluster.awaitLeader(ELECTION_WAIT);
      awaitAgreement(cluster, leader, status(cluster, leader).term(), ELECTION_WAIT);
      // Raft assumes nothing of the network but eventual delivery (§5.1): any message may be
      // lost, duplicated or reordered. Clients retry only answers meaning "not proposed".
      cluster.network().setDropRate(0.05);
      cluster.network().setDuplicateRate(0.05);
      cluster.network().setMaxDelay(Duration.ofMillis(15));
      Map<String, RaftReply<List<String>>> answers;
      try (Writers writers = Writers.start(cluster, "lossy", 3, 20, Duration.ofSeconds(10))) {
        answers = writers.await(Duration.ofSeconds(60));
      }
      cluster.network().heal();

      awaitConvergence(cluster, CATCH_UP_WAIT);
      List<String> applied = sameHistoryEverywhere(cluster);
      assertThat(applied).as("seed %d: nothing invented", seed).isSubsetOf(answers.keySet());
      assertAnswersAgreeWith(cluster, answers, applied);
    }
  }

  @Test
  void followerWhoseAcknowledgementsWereLostStillReceivesLaterEntries() {
    long seed = 34;
    // The follower answers every heartbeat, so it must never be presumed silent; the silence
    // fallback is pushed out of reach so that only the answers it does send can free the window.
    RaftSettings settings = TestCluster.fastSettings().withLostRequestTicks(1_000);
    try (var cluster = start(seed, RecordingStateMachine::create, settings)) {
      String leader = cluster.awaitLeader(ELECTION_WAIT);
      awaitAgreement(cluster, leader, status(cluster, leader).term(), ELECTION_WAIT);
      String follower = cluster.ids().stream().filter(id -> !id.equals(leader)).findFirst().get();
      int window = settings.maxInflightAppends();

      AtomicBoolean losing = new AtomicBoolean(true);
      AtomicInteger lostAnswers = loseAnswersToEntries(cluster, leader, follower, losing);
      int written = 0;
      while (lostAnswers.get() < window && written < 200) {
        ok(cluster, cluster.write(leader, "w" + written), "write w" + written);
        written++;
      }
      losing.set(false);
      cluster.network().heal();
      assertThat(lostAnswers.get())
          .as("seed %d: answers lost, against a window of %d", seed, window)
          .isGreaterThanOrEqualTo(window);

      // The leader retries until every follower stores every entry (§5.3).
      ok(cluster, cluster.write(leader, "last"), "write last");
      awaitConvergence(cluster, CATCH_UP_WAIT);
      assertThat(history(cluster, follower))
          .as("seed %d: commands applied by %s", seed, follower)
          .hasSize(written + 1)
          .isEqualTo(history(cluster, leader));
    }
  }

  /**
   * While {@code losing}, loses the follower's answers to AppendEntries that carry entries, but not
   * its answer to the heartbeat that follows each of them: the entries arrive, only their
   * acknowledgements vanish. Returns the count of requests whose answers were lost.
   */
  private static AtomicInteger loseAnswersToEntries(
      TestCluster<?, ?, ?> cluster, String leader, String follower, AtomicBoolean losing) {
    AtomicInteger lostAnswers = new AtomicInteger();
    AtomicBoolean cut = new AtomicBoolean();
    cluster
        .network()
        .observe(
            d -> {
              if (!losing.get()
                  || !d.from().equals(leader)
                  || !d.to().equals(follower)
                  || !(d.message() instanceof RaftMessage.AppendEntries append)) {
                return;
              }
              if (!append.entries().isEmpty()) {
                cluster.network().cutOneWay(follower, leader);
                cut.set(true);
                lostAnswers.incrementAndGet();
              } else if (cut.compareAndSet(true, false)) {
                cluster.network().heal();
              }
            });
    return lostAnswers;
  }

  @Test
  void stateMachineExceptionRejectsOnlyThatWrite() {
    long seed = 8;
    RaftSettings settings = TestCluster.fastSettings();
    try (var cluster = start(seed, () -> RecordingStateMachine.rejecting("boom"), settings)) {
      String leader = cluster.awaitLeader(ELECTION_WAIT);
      long term = status(cluster, leader).term();
      awaitAgreement(cluster, leader, term, ELECTION_WAIT);

      RaftReply.Ok<List<String>> before = ok(cluster, cluster.write(leader, "a"), "write a");
      RaftReply<List<String>> boom = cluster.write(leader, "boom");
      RaftReply.Ok<List<String>> after = ok(cluster, cluster.write(leader, "b"), "write b");
      RaftReply.Ok<List<String>> later = ok(cluster, cluster.write(leader, "c"), "write c");

      assertThat(boom)
          .as("seed %d: the refused write", seed)
          .isInstanceOf(RaftReply.Rejected.class);
      assertThat(((RaftReply.Rejected<List<String>>) boom).reason())
          .as("seed %d", seed)
          .contains("refusing boom");
      assertThat(before.result()).as("seed %d", seed).containsExactly("a");
      assertThat(after.result()).as("seed %d", seed).containsExactly("a", "b");
      assertThat(later.result()).as("seed %d", seed).containsExactly("a", "b", "c");
      // The refused command still took its log slot, on every replica alike.
      assertThat(after.index()).as("seed %d", seed).isEqualTo(before.index() + 2);

      long lastIndex = awaitConvergence(cluster, CATCH_UP_WAIT);
      assertThat(lastIndex).as("seed %d", seed).isEqualTo(later.index());
      // Every peer still runs, follows the same leader, and applied the same commands.
      awaitAgreement(cluster, leader, term, CATCH_UP_WAIT);
      assertThat(cluster.statuses()).as("seed %d: peers answering", seed).hasSize(3);
      assertThat(sameHistoryEverywhere(cluster)).as("seed %d", seed).containsExactly("a", "b", "c");
    }
  }
}
