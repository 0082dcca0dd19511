package dev.keel.raft.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.raft.RegisterStateMachine;
import dev.keel.raft.safety.PowerCutScenario.Disks;
import dev.keel.raft.safety.PowerCutScenario.Outcome;
import dev.keel.raft.safety.PowerCutScenario.Target;
import dev.keel.raft.testkit.TestCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ack means fsynced: clusters on {@link dev.keel.raft.testkit.PowerLossStorage} lose power — one
 * node (the leader, or a follower), a minority (2 of 5), or every node at once — in the middle of a
 * write load, losing every write not yet synced, and are restarted. No acknowledged write may be
 * lost, every replica applies the same commands in the same order, there is at most one leader per
 * term, and the logs match. A negative control shows that a storage acknowledging before it syncs
 * fails these checks. {@code -Dkeel.powerloss.seeds=N} runs more seeds; {@code -Dkeel.seed=S}
 * replays one.
 */
class PowerLossTest {

  private static final ActorTestKit testKit = ActorTestKit.create("power-loss");

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  static List<Long> seeds(long base) {
    return SafetyChecks.seeds("keel.powerloss.seeds", 5, base);
  }

  static Stream<Arguments> partialCuts() {
    List<Arguments> runs = new ArrayList<>();
    seeds(11_000L).forEach(seed -> runs.add(Arguments.of(Target.LEADER, seed)));
    seeds(11_100L).forEach(seed -> runs.add(Arguments.of(Target.FOLLOWER, seed)));
    seeds(11_200L).forEach(seed -> runs.add(Arguments.of(Target.MINORITY, seed)));
    return runs.stream();
  }

  @ParameterizedTest(name = "{0}, seed {1}")
  @MethodSource("partialCuts")
  void acknowledgedWritesSurviveWhenSomePeersLosePower(Target target, long seed) throws Exception {
    Outcome outcome = new PowerCutScenario(testKit.system(), seed, target, Disks.HONEST).run();
    System.out.println("power loss " + outcome.summary());
    assertSafe(outcome);
  }

  @Test
  void acknowledgedWritesSurviveWhenEveryPeerLosesPowerAtOnce() throws Exception {
    long lost = 0;
    List<String> summaries = new ArrayList<>();
    for (long seed : seeds(11_300L)) {
      Outcome outcome =
          new PowerCutScenario(testKit.system(), seed, Target.ALL, Disks.HONEST).run();
      System.out.println("power loss " + outcome.summary());
      assertSafe(outcome);
      lost += outcome.lost();
      summaries.add(outcome.summary());
    }
    // Otherwise the mode did not bite and the runs above proved nothing.
    assertThat(lost).as("unsynced writes lost at the power cuts:%n%s", summaries).isPositive();
  }

  /**
   * The negative control: with disks that acknowledge before they sync, cutting every peer's power
   * loses acknowledged writes, and the checks above notice.
   */
  @Test
  void storageThatAcknowledgesBeforeSyncingLosesAcknowledgedWrites() throws Exception {
    List<String> summaries = new ArrayList<>();
    int detected = 0;
    for (long seed : seeds(11_400L)) {
      Outcome outcome =
          new PowerCutScenario(testKit.system(), seed, Target.ALL, Disks.EARLY_ACK).run();
      System.out.println(
          "negative control " + outcome.summary() + " problems " + outcome.problems());
      summaries.add(outcome.summary() + " missing " + outcome.missing());
      if (!outcome.missing().isEmpty()) {
        detected++;
      }
    }
    assertThat(detected).as("runs that lost an acknowledged write:%n%s", summaries).isPositive();
  }

  @Test
  void powerCutNeedsPowerLossStorage() {
    try (TestCluster<String, RegisterStateMachine.Get, Optional<String>> cluster =
        TestCluster.builder(RegisterStateMachine::ofStrings)
            .nodes(3)
            .seed(1)
            .start(testKit.system())) {
      assertThatThrownBy(() -> cluster.powerCut("n1"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("not a PowerLossStorage");
      assertThat(cluster.isUp("n1")).as("a refused power cut touches no peer").isTrue();
    }
  }

  private static void assertSafe(Outcome outcome) {
    assertThat(outcome.missing()).as("acknowledged writes lost, %s", outcome.summary()).isEmpty();
    assertThat(outcome.problems()).as("safety, %s", outcome.summary()).isEmpty();
    assertThat(outcome.acked()).as("writes acknowledged, %s", outcome.summary()).isPositive();
    assertThat(outcome.lostPerCut())
        .as("cuts, %s", outcome.summary())
        .hasSize(PowerCutScenario.CUTS);
  }
}
