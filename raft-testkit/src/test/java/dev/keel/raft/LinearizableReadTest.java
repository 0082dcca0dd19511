package dev.keel.raft;

import static dev.keel.raft.ClusterChecks.CATCH_UP_WAIT;
import static dev.keel.raft.ClusterChecks.ELECTION_WAIT;
import static dev.keel.raft.ClusterChecks.awaitAgreement;
import static dev.keel.raft.ClusterChecks.awaitConvergence;
import static dev.keel.raft.ClusterChecks.awaitLeaderAmong;
import static dev.keel.raft.ClusterChecks.ok;
import static dev.keel.raft.ClusterChecks.others;
import static dev.keel.raft.ClusterChecks.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.RegisterStateMachine.Get;
import dev.keel.raft.protocol.RaftMessage;
import dev.keel.raft.testkit.Await;
import dev.keel.raft.testkit.TestCluster;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Linearizable reads by ReadIndex (thesis §6.4), and what a stale leader must not answer. */
class LinearizableReadTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static TestCluster<String, Get, Optional<String>> start(
      long seed, RaftSettings settings) {
    return TestCluster.builder(RegisterStateMachine::ofStrings)
        .nodes(3)
        .seed(seed)
        .settings(settings)
        .start(testKit.system());
  }

  @Test
  void linearizableReadSeesLatestCompletedWriteEvenRightAfterLeaderChange() {
    long seed = 7;
    try (var cluster = start(seed, TestCluster.fastSettings())) {
      String oldLeader = cluster.awaitLeader(ELECTION_WAIT);
      long oldTerm = status(cluster, oldLeader).term();
      long lastWriteIndex = 0;
      for (int i = 1; i <= 4; i++) {
        String value = "v" + i;
        lastWriteIndex = ok(cluster, cluster.write(oldLeader, value), "write " + value).index();
        RaftReply.Ok<Optional<String>> read =
            ok(
                cluster,
                cluster.read(oldLeader, Get.VALUE, RaftPeer.ReadConsistency.LINEARIZABLE),
                "read after " + value);
        assertThat(read.result()).as("seed %d: read after %s", seed, value).contains(value);
        assertThat(read.index()).as("seed %d", seed).isGreaterThanOrEqualTo(lastWriteIndex);
      }

      // Make the next write commit without any follower learning that it did: the moment a
      // follower acknowledges it, and before the leader can count that answer, cut every link
      // but the answers' way back. The followers can neither learn the new commit index nor
      // elect anyone until the heal.
      List<String> followers = others(cluster.ids(), oldLeader);
      long before = lastWriteIndex;
      AtomicBoolean armed = new AtomicBoolean(true);
      cluster
          .network()
          .observe(
              d -> {
                if (d.message() instanceof RaftMessage.AppendEntriesResult answer
                    && answer.success()
                    && answer.matchIndex() > before
                    && armed.compareAndSet(true, false)) {
                  followers.forEach(f -> cluster.network().cutOneWay(oldLeader, f));
                  cluster.network().disconnect(followers.get(0), followers.get(1));
                }
              });
      long v5Index = ok(cluster, cluster.write(oldLeader, "v5"), "write v5").index();
      for (String follower : followers) {
        assertThat(status(cluster, follower).commitIndex())
            .as("seed %d: %s does not know v5 is committed", seed, follower)
            .isLessThan(v5Index);
      }

      cluster.crash(oldLeader);
      cluster.network().heal();
      // The new leader has v5 in its log (§5.4.1) but does not know it is committed; it must
      // commit an entry of its own term before it serves reads (§8, thesis §6.4).
      RaftReply.Ok<Optional<String>> afterChange =
          ok(cluster, cluster.readFromLeader(Get.VALUE, ELECTION_WAIT), "read after the crash");
      assertThat(afterChange.result())
          .as("seed %d: first read through the new leader", seed)
          .contains("v5");
      assertThat(afterChange.index()).as("seed %d", seed).isGreaterThanOrEqualTo(v5Index);

      String newLeader =
          awaitLeaderAmong(cluster, others(cluster.ids(), oldLeader), oldTerm, ELECTION_WAIT);
      ok(cluster, cluster.write(newLeader, "v6"), "write v6");
      RaftReply<Optional<String>> read =
          cluster.read(newLeader, Get.VALUE, RaftPeer.ReadConsistency.LINEARIZABLE);
      assertThat(ok(cluster, read, "read after v6").result()).as("seed %d", seed).contains("v6");
    }
  }

  @Test
  void isolatedStaleLeaderServesNoLinearizableReadButMayServeStaleLocalRead() {
    long seed = 77;
    // Without check-quorum the cut-off leader keeps believing it leads: the hardest case, since
    // only the ReadIndex round (a heartbeat answered by a majority) can tell it otherwise.
    RaftSettings settings = TestCluster.fastSettings().withElectionSafeguards(true, false);
    try (var cluster = start(seed, settings)) {
      String oldLeader = cluster.awaitLeader(ELECTION_WAIT);
      long oldTerm = status(cluster, oldLeader).term();
      ok(cluster, cluster.write(oldLeader, "old"), "write old");
      awaitAgreement(cluster, oldLeader, oldTerm, CATCH_UP_WAIT);
      awaitConvergence(cluster, CATCH_UP_WAIT);

      cluster.network().isolate(oldLeader, cluster.ids());
      String newLeader =
          awaitLeaderAmong(cluster, others(cluster.ids(), oldLeader), oldTerm, ELECTION_WAIT);
      ok(cluster, cluster.write(newLeader, "new"), "write new through the new leader");
      PeerStatus stale = status(cluster, oldLeader);
      assertThat(stale.role())
          .as("seed %d: the cut-off leader still believes it leads", seed)
          .isEqualTo(PeerStatus.Role.LEADER);
      assertThat(stale.term()).as("seed %d", seed).isEqualTo(oldTerm);

      RaftReply<Optional<String>> linearizable =
          cluster.read(oldLeader, Get.VALUE, RaftPeer.ReadConsistency.LINEARIZABLE);
      assertThat(linearizable)
          .as("seed %d: linearizable read at the stale leader", seed)
          .isInstanceOfAny(
              RaftReply.NotLeader.class, RaftReply.NoLeader.class, RaftReply.TimedOut.class);
      RaftReply<Optional<String>> local =
          cluster.read(oldLeader, Get.VALUE, RaftPeer.ReadConsistency.LOCAL);
      assertThat(ok(cluster, local, "local read at the stale leader").result())
          .as("seed %d: a local read answers the stale state without a round trip", seed)
          .contains("old");
      // The majority may have re-elected meanwhile on a loaded machine: ask whoever leads it.
      Await.until(
          "a linearizable read in the majority seeing the new write (seed " + seed + ")",
          CATCH_UP_WAIT,
          () -> {
            String current =
                awaitLeaderAmong(cluster, others(cluster.ids(), oldLeader), oldTerm, ELECTION_WAIT);
            return cluster.read(current, Get.VALUE, RaftPeer.ReadConsistency.LINEARIZABLE)
                    instanceof RaftReply.Ok<Optional<String>> read
                && read.result().equals(Optional.of("new"));
          });

      cluster.network().heal();
      Await.until(
          "the stale leader stepping down and catching up (seed " + seed + ")",
          CATCH_UP_WAIT,
          () ->
              status(cluster, oldLeader).role() == PeerStatus.Role.FOLLOWER
                  && cluster.read(oldLeader, Get.VALUE, RaftPeer.ReadConsistency.LOCAL)
                      instanceof RaftReply.Ok<Optional<String>> caughtUp
                  && caughtUp.result().equals(Optional.of("new")));
    }
  }
}
