package dev.keel.raft.safety;

import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keel's safety campaign: 3- and 5-node clusters of a key-value store under concurrent clients
 * while the nemesis partitions, isolates, cuts links one way, drops, delays, duplicates, crashes,
 * restarts and pauses peers. Afterwards: the client history is linearizable (which includes "no
 * acknowledged write is lost": every key is read at the end), there was at most one leader per
 * term, logs match, every replica applied the same commands in the same order, and all replicas
 * hold the same data. {@code -Dkeel.campaign.seeds=N} runs more seeds; {@code -Dkeel.seed=S}
 * replays one.
 */
class SafetyCampaignTest {

  private static final ActorTestKit testKit = ActorTestKit.create("campaign");
  private static final Duration FAULT_PHASE = Duration.ofMillis(2_000);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  static List<Long> seeds() {
    return SafetyChecks.seeds("keel.campaign.seeds", 50, 9_000L);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void keyValueStoreStaysLinearizableUnderFaults(long seed) throws Exception {
    Campaign.run(testKit.system(), seed, FAULT_PHASE, "in-memory", builder -> builder);
  }
}
