package dev.keel.raft.serialization;

import static dev.keel.raft.serialization.KryoRegistration.kryoDefault;
import static dev.keel.raft.serialization.KryoRegistration.shared;

import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.serializers.RecordSerializer;
import dev.keel.raft.PeerMetrics;
import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import dev.keel.raft.RegisterStateMachine;
import dev.keel.raft.persistence.EntryPayload;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.protocol.RaftMessage;
import dev.keel.raft.serialization.ActorRefSerializers.ClassicActorRefSerializer;
import dev.keel.raft.serialization.ActorRefSerializers.TypedActorRefSerializer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Keel's own registrations: every class Keel sends between peers, and the JDK classes messages
 * commonly hold. The ids are part of the wire format: never renumber or reuse one; a class whose
 * format changes gets a new id. Ids 100–999 are Keel's, from {@value #FIRST_USER_ID} up the user's.
 *
 * <table>
 *   <caption>Id ranges</caption>
 *   <tr><td>100–119</td><td>JDK scalars, {@code byte[]}, {@code UUID}, {@code Optional}</td></tr>
 *   <tr><td>120–149</td><td>JDK collections (mutable, immutable, unmodifiable views)</td></tr>
 *   <tr><td>150–159</td><td>actor references, typed and classic, any implementation</td></tr>
 *   <tr><td>160–199</td><td>the replicated log: entries and payloads</td></tr>
 *   <tr><td>200–299</td><td>the peer-to-peer protocol ({@link RaftMessage})</td></tr>
 *   <tr><td>300–399</td><td>the client API: requests, replies, status</td></tr>
 * </table>
 */
final class KeelRegistrations {

  /** Lowest id Keel uses. */
  static final int FIRST_KEEL_ID = 100;

  /** Lowest id a user registration may use; everything below is Keel's. */
  static final int FIRST_USER_ID = 1000;

  /** Highest id Kryo can write (it writes {@code id + 2} as an unsigned varint). */
  static final int LAST_USER_ID = Integer.MAX_VALUE - 2;

  private KeelRegistrations() {}

  /** All of Keel's registrations, in id order. */
  static List<KryoRegistration> all() {
    List<KryoRegistration> all = new ArrayList<>();
    all.addAll(jdkScalars());
    all.addAll(jdkCollections());
    all.add(
        new KryoRegistration(
            150, ActorRef.class, (kryo, refs) -> new TypedActorRefSerializer(refs)));
    all.add(
        new KryoRegistration(
            151,
            org.apache.pekko.actor.ActorRef.class,
            (kryo, refs) -> new ClassicActorRefSerializer(refs)));
    // Retired: 160 and 162, the entry formats that carried command objects rather than bytes.
    all.add(shared(163, LogEntry.class, new ProtocolSerializers.LogEntrySerializer()));
    all.add(shared(161, EntryPayload.NoOp.class, new ProtocolSerializers.NoOpSerializer()));
    all.add(
        shared(
            164, EntryPayload.UserCommand.class, new ProtocolSerializers.UserCommandSerializer()));
    all.addAll(protocol());
    all.addAll(clientApi());
    return List.copyOf(all);
  }

  private static List<KryoRegistration> jdkScalars() {
    return List.of(
        shared(100, String.class, new JdkSerializers.StringSerializer()),
        shared(101, int.class, new DefaultSerializers.IntSerializer()),
        shared(102, long.class, new DefaultSerializers.LongSerializer()),
        shared(103, boolean.class, new DefaultSerializers.BooleanSerializer()),
        shared(104, double.class, new DefaultSerializers.DoubleSerializer()),
        shared(105, float.class, new DefaultSerializers.FloatSerializer()),
        shared(106, short.class, new DefaultSerializers.ShortSerializer()),
        shared(107, byte.class, new DefaultSerializers.ByteSerializer()),
        shared(108, char.class, new DefaultSerializers.CharSerializer()),
        shared(109, byte[].class, new JdkSerializers.ByteArraySerializer()),
        shared(110, UUID.class, new JdkSerializers.UuidSerializer()),
        shared(111, Optional.class, new JdkSerializers.OptionalSerializer()));
  }

  // A LinkedList is the simplest list without RandomAccess, whose unmodifiable view has its own
  // class.
  @SuppressWarnings("JdkObsolete")
  private static List<KryoRegistration> jdkCollections() {
    return List.of(
        shared(120, ArrayList.class, CollectionSerializers.arrayList()),
        shared(121, LinkedList.class, CollectionSerializers.linkedList()),
        shared(122, HashMap.class, CollectionSerializers.hashMap()),
        shared(123, LinkedHashMap.class, CollectionSerializers.linkedHashMap()),
        shared(124, HashSet.class, CollectionSerializers.hashSet()),
        shared(125, LinkedHashSet.class, CollectionSerializers.linkedHashSet()),
        // The JDK's immutable collections are internal classes; List.of() and List.of(a, b, c)
        // share one, List.of(a) and List.of(a, b) another (likewise for sets and maps).
        shared(126, List.of(1).getClass(), CollectionSerializers.immutableList()),
        shared(127, List.of(1, 2, 3).getClass(), CollectionSerializers.immutableList()),
        shared(128, Set.of(1).getClass(), CollectionSerializers.immutableSet()),
        shared(129, Set.of(1, 2, 3).getClass(), CollectionSerializers.immutableSet()),
        shared(130, Map.of(1, 1).getClass(), CollectionSerializers.immutableMap()),
        shared(131, Map.of(1, 1, 2, 2).getClass(), CollectionSerializers.immutableMap()),
        shared(
            132,
            Collections.unmodifiableList(new ArrayList<>()).getClass(),
            CollectionSerializers.unmodifiableList()),
        shared(
            133,
            Collections.unmodifiableList(new LinkedList<>()).getClass(),
            CollectionSerializers.unmodifiableList()),
        shared(
            134,
            Collections.unmodifiableSet(new HashSet<>()).getClass(),
            CollectionSerializers.unmodifiableSet()),
        shared(
            135,
            Collections.unmodifiableMap(new HashMap<>()).getClass(),
            CollectionSerializers.unmodifiableMap()),
        shared(136, Collections.emptyList().getClass(), CollectionSerializers.emptyList()),
        shared(137, Collections.emptySet().getClass(), CollectionSerializers.emptySet()),
        shared(138, Collections.emptyMap().getClass(), CollectionSerializers.emptyMap()),
        shared(139, Collections.singletonList(1).getClass(), CollectionSerializers.singletonList()),
        shared(140, Collections.singleton(1).getClass(), CollectionSerializers.singletonSet()),
        shared(
            141, Collections.singletonMap(1, 1).getClass(), CollectionSerializers.singletonMap()),
        shared(142, Arrays.asList(1).getClass(), CollectionSerializers.arraysAsList()));
  }

  // Retired: 200-203 and 205, the formats before answers named the term of their request.
  private static List<KryoRegistration> protocol() {
    return List.of(
        shared(206, RaftMessage.RequestVote.class, new ProtocolSerializers.RequestVoteSerializer()),
        shared(
            207,
            RaftMessage.RequestVoteResult.class,
            new ProtocolSerializers.RequestVoteResultSerializer()),
        shared(
            208,
            RaftMessage.AppendEntries.class,
            new ProtocolSerializers.AppendEntriesSerializer()),
        shared(
            209,
            RaftMessage.AppendEntriesResult.class,
            new ProtocolSerializers.AppendEntriesResultSerializer()),
        // Snapshot chunks are rare and large: the record serializer's overhead does not matter.
        record(204, RaftMessage.InstallSnapshot.class),
        record(210, RaftMessage.InstallSnapshotResult.class));
  }

  private static List<KryoRegistration> clientApi() {
    return List.of(
        record(300, RaftPeer.Write.class),
        record(301, RaftPeer.Read.class),
        kryoDefault(302, RaftPeer.ReadConsistency.class),
        record(303, RaftPeer.GetStatus.class),
        record(304, RaftPeer.TakeSnapshot.class),
        record(305, RaftPeer.Stop.class),
        record(310, RaftReply.Ok.class),
        record(311, RaftReply.NotLeader.class),
        record(312, RaftReply.NoLeader.class),
        record(313, RaftReply.Rejected.class),
        record(314, RaftReply.TimedOut.class),
        record(320, PeerStatus.class),
        kryoDefault(321, PeerStatus.Role.class),
        record(322, PeerMetrics.class),
        kryoDefault(330, RegisterStateMachine.Get.class));
  }

  /**
   * A record written by Kryo's {@link RecordSerializer}: components in the order of their names,
   * without tags. Renaming a component of these records changes their wire format.
   */
  private static KryoRegistration record(int id, Class<? extends Record> type) {
    return shared(id, type, new RecordSerializer<>(type));
  }
}
