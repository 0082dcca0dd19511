package dev.keel.raft.serialization;

import dev.keel.raft.PeerMetrics;
import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import dev.keel.raft.RegisterStateMachine;
import dev.keel.raft.persistence.EntryPayload;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.protocol.RaftMessage;
import dev.keel.raft.serialization.UserTypes.Get;
import dev.keel.raft.serialization.UserTypes.Op;
import dev.keel.raft.serialization.UserTypes.Put;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;

/** One or more instances of every message type that crosses the wire. */
final class Samples {

  private Samples() {}

  /** AppendEntries with {@code count} entries carrying {@code commandBytes}-byte commands. */
  static RaftMessage.AppendEntries appendEntries(int count, int commandBytes) {
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] command = new byte[commandBytes];
      command[0] = (byte) i;
      entries.add(new LogEntry(1001 + i, 7, new EntryPayload.UserCommand(4, "", command)));
    }
    return new RaftMessage.AppendEntries(7, "n1", 1000, 7, entries, 1000, 42);
  }

  /** Equality; commands are bytes and compare by content. */
  static boolean sameMessage(Object a, Object b) {
    return a.equals(b);
  }

  /** Peer-to-peer messages, every record of {@link RaftMessage}; equal after a round trip. */
  static List<RaftMessage> protocol() {
    List<LogEntry> entries =
        List.of(
            new LogEntry(11, 3, EntryPayload.NoOp.INSTANCE),
            new LogEntry(12, 3, command(20, "", "plain string")),
            new LogEntry(13, 3, command(7400, "1000", "\u0001k\u0001v")),
            new LogEntry(14, 4, new EntryPayload.UserCommand(4, "", new byte[0])),
            new LogEntry(15, 4, command(-17, "a manifest", "x")),
            new LogEntry(16, 4, command(20, "", "ünïcødé ✓ 🚀")));
    return List.of(
        new RaftMessage.RequestVote(5, "n2", 17, 4, false, 1),
        new RaftMessage.RequestVote(6, "n3", 0, 0, true, Long.MAX_VALUE),
        new RaftMessage.RequestVoteResult(5, "n1", true, false, 5, 1),
        new RaftMessage.RequestVoteResult(9, "n1", false, true, 6, 2),
        new RaftMessage.AppendEntries(4, "n1", 10, 3, entries, 12, 77),
        new RaftMessage.AppendEntries(4, "n1", 16, 4, List.of(), 16, Long.MAX_VALUE),
        new RaftMessage.AppendEntriesResult(4, "n2", true, 16, 0, 0, 4, 77),
        new RaftMessage.AppendEntriesResult(4, "n2", false, 0, 8, 2, 3, -1),
        new RaftMessage.InstallSnapshot(
            4, "n1", 500, 3, List.of("n1", "n2", "n3"), 1024, new byte[] {1, 2, 3}, false, 78),
        new RaftMessage.InstallSnapshotResult(4, "n2", 500, 1027, false, 4, 78));
  }

  /** A command as a serializer with {@code serializerId} would have written {@code text}. */
  static EntryPayload.UserCommand command(int serializerId, String manifest, String text) {
    return new EntryPayload.UserCommand(
        serializerId, manifest, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Client requests with real references; equal after a round trip. */
  static List<RaftPeer.Command> clientRequests(
      ActorRef<RaftReply<Object>> replyTo,
      ActorRef<PeerStatus> statusTo,
      ActorRef<RaftReply<Long>> snapshotTo,
      ActorRef<Done> stopTo) {
    return List.of(
        new RaftPeer.Write<>("hello", replyTo),
        new RaftPeer.Write<>(new Put("k", "v", Op.DELETE), replyTo),
        new RaftPeer.Write<>(UUID.fromString("2f1d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b"), replyTo),
        new RaftPeer.Read<>(new Get("k"), RaftPeer.ReadConsistency.LINEARIZABLE, replyTo),
        new RaftPeer.Read<>(
            RegisterStateMachine.Get.VALUE, RaftPeer.ReadConsistency.LOCAL, replyTo),
        new RaftPeer.GetStatus(statusTo),
        new RaftPeer.TakeSnapshot(snapshotTo),
        new RaftPeer.Stop(stopTo));
  }

  /** Every {@link RaftReply} variant; equal after a round trip. */
  static List<RaftReply<?>> replies(ActorRef<RaftPeer.Command> leader) {
    return List.of(
        new RaftReply.Ok<>(Optional.of("previous"), 12),
        new RaftReply.Ok<>(Optional.empty(), 13),
        new RaftReply.Ok<>(new Put("k", "v", Op.SET), 14),
        new RaftReply.Ok<>(Map.of("a", 1L, "b", 2L), 15),
        new RaftReply.Ok<>(42L, 16),
        new RaftReply.NotLeader<>("n2", leader),
        new RaftReply.NotLeader<>("n3", null),
        new RaftReply.NoLeader<>(),
        new RaftReply.Rejected<>("IllegalStateException: no such key"),
        new RaftReply.TimedOut<>());
  }

  /** Peer statuses in every role; equal after a round trip. */
  static List<PeerStatus> statuses() {
    PeerMetrics metrics = new PeerMetrics(3, 2, 1000, 998, 997, 9);
    return List.of(
        new PeerStatus(
            "n1",
            PeerStatus.Role.LEADER,
            9,
            "n1",
            998,
            997,
            1000,
            List.of("n1", "n2", "n3"),
            Map.of("n2", 998L, "n3", 990L),
            metrics),
        new PeerStatus(
            "n2",
            PeerStatus.Role.FOLLOWER,
            9,
            "n1",
            998,
            997,
            999,
            List.of("n1", "n2"),
            Map.of(),
            metrics),
        new PeerStatus(
            "n3",
            PeerStatus.Role.CANDIDATE,
            10,
            null,
            0,
            0,
            0,
            List.of("n3"),
            Map.of(),
            new PeerMetrics(0, 0, 0, 0, 0, 0)));
  }
}
