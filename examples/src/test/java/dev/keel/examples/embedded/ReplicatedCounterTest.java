package dev.keel.examples.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicatedCounterTest {

  @TempDir Path dir;

  private String runInNewSystem() throws Exception {
    ActorTestKit testKit =
        ActorTestKit.create(
            ConfigFactory.parseMap(Map.of("keel.persistence.rocksdb.dir", dir.toString()))
                .withFallback(ConfigFactory.load()));
    try {
      return ReplicatedCounter.run(testKit.system());
    } finally {
      testKit.shutdownTestKit();
    }
  }

  @Test
  void addsThroughTheLeaderReadsLinearizablyAndKeepsTheCountAcrossRuns() throws Exception {
    assertThat(runInNewSystem()).contains("write: Ok[result=5,").contains("read:  Ok[result=5,");
    // A second run on the same directory: the durable log still holds the first run's write.
    assertThat(runInNewSystem()).contains("write: Ok[result=10,").contains("read:  Ok[result=10,");
  }
}
