package dev.keel.raft.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftSettings;
import dev.keel.raft.RegisterStateMachine;
import dev.keel.raft.persistence.InMemoryRaftStorage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How the remote transport names and finds peers, and what it refuses at startup; on one actor
 * system with plaintext remoting (no other node is needed to resolve references).
 */
class RemotePeerTransportTest {

  private static ActorSystem<Void> system;
  private static int port;

  @BeforeAll
  static void start() {
    port = Ports.free(1).get(0);
    Config config =
        ConfigFactory.parseMap(
                Map.of(
                    "keel.node.name",
                    "n1",
                    "keel.node.members.n1",
                    "127.0.0.1:" + port,
                    NodeSettings.PLAINTEXT_SETTING,
                    "on"))
            .withFallback(ConfigFactory.load());
    NodeSettings node = NodeSettings.fromConfig(config);
    system = ActorSystem.create(Behaviors.empty(), "keel", node.actorSystemConfig(config));
  }

  @AfterAll
  static void stop() {
    TlsNode.terminate(system);
  }

  @Test
  void resolvesEachMembersPeerAtItsWellKnownPathAndFollowsAMove() {
    RemotePeerTransport transport = RemotePeerTransport.create(system, "n1", members(), "orders");

    assertThat(String.valueOf(transport.resolve("n2").path()))
        .isEqualTo("pekko://keel@10.0.0.2:2552/system/keel-orders-n2");
    assertThat(transport.resolve("n9")).isNull();

    transport.moveMember("n2", new MemberAddress("10.0.0.20", 3552));

    assertThat(String.valueOf(transport.resolve("n2").path()))
        .isEqualTo("pekko://keel@10.0.0.20:3552/system/keel-orders-n2");
    assertThat(transport.addresses().get("n2")).isEqualTo(new MemberAddress("10.0.0.20", 3552));
    assertThat(RemotePeerTransport.peers(system, "orders", members()).get("n3").path().toString())
        .isEqualTo("pekko://keel@10.0.0.3:2553/system/keel-orders-n3");
  }

  @Test
  void spawnsOnlyItsOwnPeerAtItsPathAndListsIt() {
    RemotePeerTransport transport = RemotePeerTransport.create(system, "n1", members(), "spawn");
    var setup = setup(transport, "n1").build();

    var peer = transport.spawnPeer(setup);

    assertThat(peer.path().toString()).endsWith("/system/keel-spawn-n1");
    assertThat(transport.peers()).containsOnlyKeys("n1", "n2", "n3").containsEntry("n1", peer);
    var foreign = setup(transport, "n2").build();
    assertThatThrownBy(() -> transport.spawnPeer(foreign)).hasMessageContaining("belongs to n1");
  }

  @Test
  void refusesSettingsWhoseMessagesWouldNotFitInAFrame() {
    RemotePeerTransport transport = RemotePeerTransport.create(system, "n1", members(), "big");
    var setup =
        setup(transport, "n1")
            .settings(RaftSettings.defaults().withSnapshots(0, 512 * 1024))
            .build();

    assertThatThrownBy(() -> transport.spawnPeer(setup))
        .hasMessageContaining("keel.raft.snapshot-chunk-bytes = 524288 bytes");
  }

  @Test
  void refusesAnActorSystemWithoutRemoting() {
    ActorTestKit local = ActorTestKit.create("local");
    try {
      assertThatThrownBy(() -> RemotePeerTransport.create(local.system(), "n1", members(), "g"))
          .hasMessageContaining("pekko.actor.provider = local");
    } finally {
      local.shutdownTestKit();
    }
  }

  private static RaftPeer.Setup.Builder<String, RegisterStateMachine.Get, Optional<String>> setup(
      RemotePeerTransport transport, String id) {
    return RaftPeer.setup(
        id,
        List.of("n1", "n2", "n3"),
        transport,
        new InMemoryRaftStorage(),
        RegisterStateMachine::ofStrings);
  }

  private static Map<String, MemberAddress> members() {
    return Map.of(
        "n1", new MemberAddress("127.0.0.1", port),
        "n2", new MemberAddress("10.0.0.2", 2552),
        "n3", new MemberAddress("10.0.0.3", 2553));
  }
}
