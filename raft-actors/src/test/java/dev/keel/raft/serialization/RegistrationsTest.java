package dev.keel.raft.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.Kryo;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.keel.raft.PeerMetrics;
import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import dev.keel.raft.RegisterStateMachine;
import dev.keel.raft.persistence.EntryPayload;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.protocol.RaftMessage;
import dev.keel.raft.serialization.ActorRefSerializers.ActorRefCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.ConfigurationException;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.junit.jupiter.api.Test;

/** Registration ids are fixed, and the user's registrations are checked at startup. */
class RegistrationsTest {

  private static final List<KryoRegistration> KEEL = KeelRegistrations.all();

  @Test
  void keelIdsArePinned() {
    Map<Class<?>, Integer> expected = new LinkedHashMap<>();
    expected.put(String.class, 100);
    expected.put(long.class, 102);
    expected.put(byte[].class, 109);
    expected.put(UUID.class, 110);
    expected.put(Optional.class, 111);
    expected.put(ArrayList.class, 120);
    expected.put(HashMap.class, 122);
    expected.put(List.of(1).getClass(), 126);
    expected.put(List.of().getClass(), 127);
    expected.put(Map.of().getClass(), 131);
    expected.put(org.apache.pekko.actor.typed.ActorRef.class, 150);
    expected.put(LogEntry.class, 163);
    expected.put(EntryPayload.NoOp.class, 161);
    expected.put(EntryPayload.UserCommand.class, 164);
    expected.put(RaftMessage.RequestVote.class, 206);
    expected.put(RaftMessage.RequestVoteResult.class, 207);
    expected.put(RaftMessage.AppendEntries.class, 208);
    expected.put(RaftMessage.AppendEntriesResult.class, 209);
    expected.put(RaftMessage.InstallSnapshot.class, 204);
    expected.put(RaftMessage.InstallSnapshotResult.class, 210);
    expected.put(RaftPeer.Write.class, 300);
    expected.put(RaftPeer.Read.class, 301);
    expected.put(RaftPeer.ReadConsistency.class, 302);
    expected.put(RaftPeer.GetStatus.class, 303);
    expected.put(RaftPeer.TakeSnapshot.class, 304);
    expected.put(RaftPeer.Stop.class, 305);
    expected.put(RaftReply.Ok.class, 310);
    expected.put(RaftReply.NotLeader.class, 311);
    expected.put(RaftReply.NoLeader.class, 312);
    expected.put(RaftReply.Rejected.class, 313);
    expected.put(RaftReply.TimedOut.class, 314);
    expected.put(PeerStatus.class, 320);
    expected.put(PeerStatus.Role.class, 321);
    expected.put(PeerMetrics.class, 322);
    expected.put(RegisterStateMachine.Get.class, 330);

    Map<Class<?>, Integer> actual =
        KEEL.stream().collect(Collectors.toMap(KryoRegistration::type, KryoRegistration::id));

    assertThat(actual).containsAllEntriesOf(expected);
  }

  @Test
  void keelIdsAreUniqueAndInKeelsRange() {
    assertThat(KEEL)
        .extracting(KryoRegistration::id)
        .doesNotHaveDuplicates()
        .allSatisfy(id -> assertThat(id).isBetween(100, 999));
    assertThat(KEEL).extracting(KryoRegistration::type).doesNotHaveDuplicates();
  }

  @Test
  void kryoKnowsExactlyTheTableAndNoneOfItsOwnDefaultIds() {
    Kryo kryo = KeelKryo.create(KEEL, new ActorRefCodec(null));

    for (int id = 0; id < 100; id++) {
      assertThat(kryo.getClassResolver().getRegistration(id)).as("id %s", id).isNull();
    }
    for (KryoRegistration registration : KEEL) {
      assertThat(kryo.getRegistration(registration.type()).getId()).isEqualTo(registration.id());
    }
    assertThat(kryo.getRegistration(Long.class).getId()).isEqualTo(102);
    assertThat(kryo.getRegistration(Integer.class).getId()).isEqualTo(101);
  }

  @Test
  void userRegistrationsAreReadFromConfiguration() {
    List<KryoRegistration> user = parse(UserTypes.REGISTRATIONS);

    assertThat(user)
        .extracting(KryoRegistration::id, r -> r.type().getSimpleName())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1000, "Put"),
            org.assertj.core.groups.Tuple.tuple(1001, "Get"),
            org.assertj.core.groups.Tuple.tuple(1002, "Op"),
            org.assertj.core.groups.Tuple.tuple(1003, "Counter"));
  }

  @Test
  void noRegistrationsIsFine() {
    assertThat(parse("")).isEmpty();
    assertThat(parse("keel.serialization.kryo.registrations {}")).isEmpty();
  }

  @Test
  void aDuplicateIdIsAStartupErrorNamingTheSettingAndBothClasses() {
    assertThatThrownBy(
            () ->
                parse(
                    """
                    keel.serialization.kryo.registrations {
                      "dev.keel.raft.serialization.UserTypes$Put" = 1000
                      "dev.keel.raft.serialization.UserTypes$Get" = 1000
                    }
                    """))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("keel.serialization.kryo.registrations")
        .hasMessageContaining("id 1000 is given to both")
        .hasMessageContaining("UserTypes$Put")
        .hasMessageContaining("UserTypes$Get");
  }

  @Test
  void anIdInKeelsRangeIsAStartupError() {
    assertThatThrownBy(
            () ->
                parse(
                    "keel.serialization.kryo.registrations {"
                        + " \"dev.keel.raft.serialization.UserTypes$Put\" = 202 }"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("keel.serialization.kryo.registrations")
        .hasMessageContaining("\"dev.keel.raft.serialization.UserTypes$Put\" = 202")
        .hasMessageContaining("ids below 1000 are reserved for Keel");
  }

  @Test
  void registeringAClassKeelRegistersIsAStartupError() {
    assertThatThrownBy(
            () -> parse("keel.serialization.kryo.registrations { \"java.util.ArrayList\" = 1000 }"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("\"java.util.ArrayList\" is already registered by Keel with id 120");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThatThrownBy(
            () ->
                parse(
                    """
                    keel.serialization.kryo.registrations {
                      "com.acme.Missing" = 1000
                      "dev.keel.raft.serialization.UserTypes$Put" = "one thousand"
                      "dev.keel.raft.RaftReply" = 1001
                      com.acme.Get = 1002
                    }
                    """))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("\"com.acme.Missing\": class not found")
        .hasMessageContaining("the id must be a whole number")
        .hasMessageContaining("\"dev.keel.raft.RaftReply\" is an interface or abstract class")
        .hasMessageContaining("\"com\" is not a class name: quote class names");
  }

  @Test
  void anActorSystemWithInvalidRegistrationsFailsToStart() {
    Config config =
        ConfigFactory.parseString(
                "keel.serialization.kryo.registrations {"
                    + " \"dev.keel.raft.serialization.UserTypes$Put\" = 7 }")
            .withFallback(ConfigFactory.load());

    assertThatThrownBy(() -> terminate(ActorSystem.create("InvalidRegistrations", config)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("keel.serialization.kryo.registrations")
        .hasMessageContaining("\"dev.keel.raft.serialization.UserTypes$Put\" = 7");
  }

  @Test
  void theSerializerCanBeBuiltDirectlyFromASystem() {
    ActorSystem system = ActorSystem.create("Direct", ConfigFactory.load());
    try {
      KeelKryoSerializer serializer = new KeelKryoSerializer((ExtendedActorSystem) system);
      assertThat(serializer.identifier()).isEqualTo(7400);
    } finally {
      terminate(system);
    }
  }

  private static void terminate(ActorSystem system) {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("actor system did not terminate", e);
    }
  }

  private static List<KryoRegistration> parse(String config) {
    return UserRegistrations.fromConfig(
        ConfigFactory.parseString(config), RegistrationsTest.class.getClassLoader(), KEEL);
  }
}
