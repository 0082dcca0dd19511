package dev.keel.raft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.testkit.TestCluster;
import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class ClusterSmokeTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void electsLeaderAndCommitsWrites() {
    try (TestCluster<String, RegisterStateMachine.Get, Optional<String>> cluster =
        TestCluster.builder(RegisterStateMachine::ofStrings)
            .nodes(3)
            .seed(1)
            .start(testKit.system())) {
      String leader = cluster.awaitLeader(Duration.ofSeconds(10));
      RaftReply<Optional<String>> first = cluster.write(leader, "a");
      assertThat(first).isEqualTo(new RaftReply.Ok<>(Optional.empty(), 2L));
      RaftReply<Optional<String>> second = cluster.write(leader, "b");
      assertThat(second).isEqualTo(new RaftReply.Ok<>(Optional.of("a"), 3L));
      RaftReply<Optional<String>> read =
          cluster.read(
              leader, RegisterStateMachine.Get.VALUE, RaftPeer.ReadConsistency.LINEARIZABLE);
      assertThat(read).isInstanceOf(RaftReply.Ok.class);
      assertThat(((RaftReply.Ok<Optional<String>>) read).result()).contains("b");
    }
  }
}
