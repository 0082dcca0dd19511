package dev.keel.raft.safety;

import dev.keel.raft.persistence.journal.JournaledRaftStorage;
import dev.keel.raft.testkit.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The safety campaign on the real durable storage: every peer on {@link JournaledRaftStorage} with
 * Keel's RocksDB journal and snapshot store, snapshots every 25 entries (so journal compaction,
 * chunked snapshot transfer and recovery from a compacted journal happen under crashes, restarts,
 * partitions and message loss), and the same checks as {@link SafetyCampaignTest}. {@code
 * -Dkeel.journaled-campaign.seeds=N} runs more seeds; {@code -Dkeel.seed=S} replays one.
 */
class JournaledSafetyCampaignTest {

  private static final ActorTestKit testKit = ActorTestKit.create("journaled-campaign");
  private static final Duration FAULT_PHASE = Duration.ofMillis(2_000);

  @TempDir static Path dir;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  static List<Long> seeds() {
    return SafetyChecks.seeds("keel.journaled-campaign.seeds", 8, 19_000L);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void durableKeyValueStoreStaysLinearizableUnderFaults(long seed) throws Exception {
    Campaign.run(
        testKit.system(),
        seed,
        FAULT_PHASE,
        "journaled",
        builder ->
            builder
                .settings(TestCluster.fastSettings().withSnapshots(25, 256))
                .storage(
                    id ->
                        JournaledRaftStorage.builder(testKit.system(), "campaign-" + seed, id)
                            .rocksDb(dir.resolve("seed-" + seed).resolve(id))
                            .build()));
  }
}
