package dev.keel.examples.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;

class EmbeddedRegisterTest {

  @Test
  void exampleWritesAndReadsBackThroughTheLeader() throws Exception {
    ActorTestKit testKit = ActorTestKit.create();
    try {
      String output = EmbeddedRegister.run(testKit.system(), "keel");
      assertThat(output)
          .contains("write: Ok[result=Optional.empty")
          .contains("read:  Ok[result=Optional[keel]");
    } finally {
      testKit.shutdownTestKit();
    }
  }
}
