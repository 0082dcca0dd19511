package dev.keel.raft.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.PeerStatus;
import dev.keel.raft.RegisterStateMachine;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class ManualTimeElectionTest {

  private static final ActorTestKit testKit = ActorTestKit.create(ManualTime.config());
  private static final Duration STEP = Duration.ofMillis(20);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private record Outcome(String leader, long term) {}

  private Outcome electWithSeed(long seed) {
    try (TestCluster<String, RegisterStateMachine.Get, Optional<String>> cluster =
        TestCluster.builder(RegisterStateMachine::ofStrings)
            .nodes(5)
            .seed(seed)
            .manualTime()
            .start(testKit.system())) {
      // Election timeouts are at least 200 ms: without time passing, nobody campaigns (§5.2).
      cluster.advanceTime(Duration.ofMillis(150), STEP);
      assertThat(cluster.statuses())
          .as("seed %d", seed)
          .allMatch(s -> s.role() == PeerStatus.Role.FOLLOWER && s.term() == 0);
      cluster.advanceTime(Duration.ofMillis(400), STEP);
      List<PeerStatus> statuses = cluster.statuses();
      PeerStatus leader =
          statuses.stream()
              .filter(s -> s.role() == PeerStatus.Role.LEADER)
              .findFirst()
              .orElseThrow();
      assertThat(statuses).as("seed %d", seed).allMatch(s -> leader.name().equals(s.leader()));
      return new Outcome(leader.name(), leader.term());
    }
  }

  @Test
  void sameSeedElectsTheSameLeaderInTheSameTerm() {
    Outcome first = electWithSeed(11);
    Outcome second = electWithSeed(11);
    assertThat(second).isEqualTo(first);
    assertThat(first.term()).isEqualTo(1);
  }

  @Test
  void seedsDecideWhoWins() {
    long distinctLeaders =
        java.util.stream.LongStream.range(20, 24)
            .mapToObj(this::electWithSeed)
            .map(Outcome::leader)
            .distinct()
            .count();
    assertThat(distinctLeaders).isGreaterThan(1);
  }
}
