package dev.keel.raft.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import dev.keel.raft.persistence.EntryPayload;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.protocol.RaftMessage;
import dev.keel.raft.serialization.UserTypes.Counter;
import dev.keel.raft.serialization.UserTypes.Op;
import dev.keel.raft.serialization.UserTypes.Put;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every message type crosses Pekko's serialization (bindings included) and comes back equal. */
class KeelKryoSerializerTest {

  private static SerializationTestKit kit;

  @BeforeAll
  static void start() {
    kit = new SerializationTestKit("KeelKryoSerializerTest");
  }

  @AfterAll
  static void stop() {
    kit.shutdown();
  }

  @Test
  void everyProtocolMessageRoundTripsEqual() {
    List<RaftMessage> samples = Samples.protocol();
    assertThat(samples.stream().map(Object::getClass).distinct())
        .containsExactlyInAnyOrder(RaftMessage.class.getPermittedSubclasses());
    for (RaftMessage message : samples) {
      assertThat(kit.roundTrip(message)).isEqualTo(message);
    }
  }

  @Test
  void everyClientRequestRoundTripsEqualWithItsReplyReference() {
    TestProbe<RaftReply<Object>> replies = kit.testKit.createTestProbe();
    TestProbe<PeerStatus> statuses = kit.testKit.createTestProbe();
    TestProbe<RaftReply<Long>> snapshots = kit.testKit.createTestProbe();
    TestProbe<Done> stops = kit.testKit.createTestProbe();
    List<RaftPeer.Command> samples =
        Samples.clientRequests(replies.ref(), statuses.ref(), snapshots.ref(), stops.ref());
    assertThat(samples.stream().map(Object::getClass).distinct())
        .containsExactlyInAnyOrderElementsOf(clientRequestTypes());
    for (RaftPeer.Command message : samples) {
      assertThat(kit.roundTrip(message)).isEqualTo(message);
    }
  }

  @Test
  void everyReplyRoundTripsEqual() {
    ActorRef<RaftPeer.Command> leader = kit.testKit.spawn(Behaviors.ignore(), "leader");
    List<RaftReply<?>> samples = Samples.replies(leader);
    assertThat(samples.stream().map(Object::getClass).distinct())
        .containsExactlyInAnyOrder(RaftReply.class.getPermittedSubclasses());
    for (RaftReply<?> reply : samples) {
      assertThat(kit.roundTrip(reply)).isEqualTo(reply);
    }
  }

  @Test
  void peerStatusRoundTripsEqualInEveryRole() {
    List<PeerStatus> samples = Samples.statuses();
    assertThat(samples.stream().map(PeerStatus::role))
        .containsExactlyInAnyOrder(PeerStatus.Role.values());
    for (PeerStatus status : samples) {
      PeerStatus copy = kit.roundTrip(status);
      assertThat(copy).isEqualTo(status);
      assertThat(copy.members()).isUnmodifiable();
    }
  }

  @Test
  void aResolvedTemporaryAskReferenceStillAnswersTheAsk() throws Exception {
    CompletableFuture<RaftPeer.Write<String, String>> received = new CompletableFuture<>();
    ActorRef<RaftPeer.Command> capturing = kit.testKit.spawn(capture(received));
    CompletionStage<RaftReply<String>> answer =
        AskPattern.ask(
            capturing,
            replyTo -> new RaftPeer.Write<>("cmd", replyTo),
            Duration.ofSeconds(10),
            kit.testKit.scheduler());

    RaftPeer.Write<String, String> copy = kit.roundTrip(received.get(10, TimeUnit.SECONDS));
    copy.replyTo().tell(new RaftReply.Ok<>("done", 5));

    assertThat(copy.replyTo()).isEqualTo(received.get().replyTo());
    assertThat(answer.toCompletableFuture().get(10, TimeUnit.SECONDS))
        .isEqualTo(new RaftReply.Ok<>("done", 5));
  }

  @Test
  void referencesOfEveryKindRoundTripEqualAndStillDeliver() throws Exception {
    TestProbe<String> probe = kit.testKit.createTestProbe();
    CompletableFuture<ActorRef<Integer>> adapter = new CompletableFuture<>();
    kit.testKit.spawn(
        Behaviors.<String>setup(
            ctx -> {
              adapter.complete(ctx.messageAdapter(Integer.class, i -> "adapted " + i));
              return Behaviors.receiveMessage(
                  text -> {
                    probe.ref().tell(text);
                    return Behaviors.same();
                  });
            }));
    ActorRef<Integer> adapterRef = adapter.get(10, TimeUnit.SECONDS);
    org.apache.pekko.actor.ActorRef classic = Adapter.toClassic(probe.ref());

    @SuppressWarnings("unchecked")
    ActorRef<Integer> adapterCopy =
        (ActorRef<Integer>) kit.roundTrip(new RaftReply.Ok<>(adapterRef, 1)).result();
    Object classicCopy = kit.roundTrip(new RaftReply.Ok<>(classic, 2)).result();
    adapterCopy.tell(7);

    assertThat(adapterCopy).isEqualTo(adapterRef);
    assertThat(classicCopy).isEqualTo(classic);
    probe.expectMessage("adapted 7");
  }

  @Test
  void aMessageOfSeveralMegabytesRoundTrips() {
    RaftMessage.AppendEntries large = Samples.appendEntries(64, 64 * 1024);

    assertThat(Samples.sameMessage(kit.roundTrip(large), large)).isTrue();
    assertThat(Samples.sameMessage(kit.roundTrip(large), large)).isTrue();
  }

  @Test
  void immutableCollectionsComeBackImmutable() {
    List<Object> results =
        List.of(
            List.of(),
            List.of("a"),
            List.of("a", "b", "c"),
            Stream.of("a", "b").toList(),
            // Stream.toList allows nulls, List.of does not: this one comes back unmodifiable.
            Stream.of("a", null).toList(),
            Set.of("a"),
            Set.of("a", "b", "c"),
            Map.of(),
            Map.of("k", 1L),
            Map.of("k", 1L, "l", 2L),
            Collections.unmodifiableList(new ArrayList<>(List.of("x"))),
            Collections.emptyList(),
            Collections.singletonList("x"));
    for (Object result : results) {
      Object copy = kit.roundTrip(new RaftReply.Ok<>(result, 1)).result();
      assertThat(copy).isEqualTo(result);
      if (copy instanceof List<?> list) {
        assertThat(list).isUnmodifiable();
      } else if (copy instanceof Set<?> set) {
        assertThat(set).isUnmodifiable();
      } else {
        assertThat((Map<?, ?>) copy).isUnmodifiable();
      }
    }
  }

  @Test
  void listOfEntriesInAppendEntriesComesBackUnmodifiable() {
    RaftMessage.AppendEntries copy = kit.roundTrip(Samples.appendEntries(3, 8));
    assertThat(copy.entries()).hasSize(3).isUnmodifiable();
  }

  @Test
  void mutableCollectionsAndNullsComeBackAsTheyWere() {
    List<Object> results =
        Arrays.asList(
            new ArrayList<>(List.of("a", "b")),
            new HashMap<>(Map.of("k", List.of(1L))),
            new LinkedHashMap<>(Map.of("k", "v")),
            new LinkedHashSet<>(List.of(3, 1, 2)),
            Arrays.asList("x", null),
            null);
    for (Object result : results) {
      Object copy = kit.roundTrip(new RaftReply.Ok<>(result, 1)).result();
      assertThat(copy).isEqualTo(result);
      if (result != null) {
        assertThat(copy).hasSameClassAs(result);
      }
    }
  }

  @Test
  void byteArrayCommandsKeepTheirBytes() {
    byte[] command = {1, 2, 3, -1};
    RaftMessage.AppendEntries message =
        new RaftMessage.AppendEntries(
            1,
            "n1",
            0,
            0,
            List.of(new LogEntry(1, 1, new EntryPayload.UserCommand(4, "", command))),
            0,
            1);

    byte[] copied =
        ((EntryPayload.UserCommand) kit.roundTrip(message).entries().get(0).payload()).bytes();

    assertThat(copied).isEqualTo(command);
  }

  @Test
  void userRegisteredClassesRoundTripInsideMessages() {
    TestProbe<RaftReply<Object>> replies = kit.testKit.createTestProbe();
    RaftPeer.Write<Object, Object> write =
        new RaftPeer.Write<>(
            List.of(new Put("k", "v", Op.SET), new Counter("c", 3)), replies.ref());

    assertThat(kit.roundTrip(write)).isEqualTo(write);
    assertThat(kit.serializer().manifest(new Put("k", "v", Op.SET))).isEqualTo("1000");
  }

  @Test
  void theManifestIsTheRegistrationId() {
    KeelKryoSerializer serializer = kit.serializer();
    assertThat(serializer.manifest(Samples.appendEntries(1, 1))).isEqualTo("208");
    assertThat(serializer.manifest(new RaftReply.NoLeader<>())).isEqualTo("312");
  }

  @Test
  void anUnregisteredClassInsideAMessageFailsNamingTheClassAndTheSetting() {
    TestProbe<RaftReply<Object>> replies = kit.testKit.createTestProbe();
    RaftPeer.Write<Object, Object> write =
        new RaftPeer.Write<>(new UserTypes.Unregistered("x"), replies.ref());

    assertThatThrownBy(() -> kit.serializer().toBinary(write))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dev.keel.raft.serialization.UserTypes$Unregistered")
        .hasMessageContaining("keel.serialization.kryo.registrations")
        .hasMessageContaining("\"dev.keel.raft.serialization.UserTypes$Unregistered\" = 1000");
    assertThat(kit.serialization.serialize(write).isFailure()).isTrue();
  }

  @Test
  void anUnregisteredPeerCommandFailsNamingTheClassAndTheSetting() {
    UserTypes.StrayCommand stray = new UserTypes.StrayCommand("x");

    assertThat(kit.serialization.findSerializerFor(stray).identifier())
        .isEqualTo(KeelKryoSerializer.IDENTIFIER);
    assertThatThrownBy(() -> kit.serializer().manifest(stray))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dev.keel.raft.serialization.UserTypes$StrayCommand")
        .hasMessageContaining("keel.serialization.kryo.registrations");
  }

  @Test
  void javaSerializationStaysOff() {
    assertThat(
            kit.testKit
                .system()
                .settings()
                .config()
                .getBoolean("pekko.actor.allow-java-serialization"))
        .isFalse();
  }

  private static List<Class<?>> clientRequestTypes() {
    return Arrays.stream(RaftPeer.class.getDeclaredClasses())
        .filter(type -> type.isRecord() && RaftPeer.Command.class.isAssignableFrom(type))
        .toList();
  }

  private static Behavior<RaftPeer.Command> capture(
      CompletableFuture<RaftPeer.Write<String, String>> received) {
    return Behaviors.receive(RaftPeer.Command.class)
        .onMessage(
            RaftPeer.Write.class,
            write -> {
              @SuppressWarnings("unchecked")
              RaftPeer.Write<String, String> typed = write;
              received.complete(typed);
              return Behaviors.same();
            })
        .build();
  }
}
