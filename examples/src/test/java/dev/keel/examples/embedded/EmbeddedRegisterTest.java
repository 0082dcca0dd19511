package dev.keel.examples.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedRegisterTest {

  @TempDir Path dir;

  private String runInNewSystem(String value) throws Exception {
    ActorTestKit testKit =
        ActorTestKit.create(
            ConfigFactory.parseMap(Map.of("keel.persistence.rocksdb.dir", dir.toString()))
                .withFallback(ConfigFactory.load()));
    try {
      return EmbeddedRegister.run(testKit.system(), value);
    } finally {
      testKit.shutdownTestKit();
    }
  }

  @Test
  void exampleWritesAndReadsBackThroughTheLeaderAndIsDurableByDefault() throws Exception {
    assertThat(runInNewSystem("keel"))
        .contains("write: Ok[result=Optional.empty")
        .contains("read:  Ok[result=Optional[keel]");

    // A second run on the same directory: the register still holds the first value.
    assertThat(runInNewSystem("raft"))
        .contains("write: Ok[result=Optional[keel]")
        .contains("read:  Ok[result=Optional[raft]");
  }
}
