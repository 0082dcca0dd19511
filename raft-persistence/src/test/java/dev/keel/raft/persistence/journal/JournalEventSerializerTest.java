package dev.keel.raft.persistence.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.raft.persistence.EntryPayload;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.RecoveredState;
import dev.keel.raft.persistence.SnapshotMetadata;
import dev.keel.raft.persistence.StoredSnapshot;
import dev.keel.raft.persistence.TermAndVote;
import dev.keel.raft.persistence.TestCommands;
import java.io.NotSerializableException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Journal events through Pekko serialization, and the stability of format version 1. */
class JournalEventSerializerTest {

  private static final ActorTestKit KIT = Journals.kit();
  private static final Serialization SERIALIZATION = SerializationExtension.get(KIT.system());

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  private static Object roundTrip(Object event) {
    Serializer serializer = SERIALIZATION.findSerializerFor(event);
    assertThat(serializer).isInstanceOf(JournalEventSerializer.class);
    assertThat(serializer.identifier()).isEqualTo(JournalEventSerializer.IDENTIFIER);
    byte[] bytes = serializer.toBinary(event);
    return SERIALIZATION
        .deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, event))
        .get();
  }

  private static byte[] bytes(Object event) {
    return SERIALIZATION.findSerializerFor(event).toBinary(event);
  }

  private static Object decode(byte[] bytes, String manifest) throws NotSerializableException {
    return new JournalEventSerializer().fromBinary(bytes, manifest);
  }

  @Test
  void journalSnapshotsRoundTripWithAndWithoutRaftSnapshotAndTail() {
    StoredSnapshot raftSnapshot =
        new StoredSnapshot(new SnapshotMetadata(40, 3, List.of("n1", "n2")), new byte[] {1, 2, 3});
    for (RecoveredState state :
        List.of(
            new RecoveredState(TermAndVote.INITIAL, List.of()),
            new RecoveredState(new TermAndVote(4, "n2"), List.of(), raftSnapshot),
            new RecoveredState(
                new TermAndVote(4, null),
                List.of(
                    new LogEntry(41, 4, EntryPayload.NoOp.INSTANCE),
                    new LogEntry(42, 4, TestCommands.text("set x=1"))),
                raftSnapshot))) {
      JournalSnapshot snapshot = new JournalSnapshot(state);
      assertThat(roundTrip(snapshot)).isEqualTo(snapshot);
    }
  }

  @Test
  void aJournalSnapshotWhoseLogDoesNotFollowItsRaftSnapshotIsRefused() throws Exception {
    // Written without a Raft snapshot, so its log may start at 1; the Raft snapshot spliced in
    // front makes the log start at 1 after a snapshot up to 40.
    byte[] logFromOne =
        bytes(
            new JournalSnapshot(
                new RecoveredState(
                    TermAndVote.INITIAL, List.of(new LogEntry(1, 1, EntryPayload.NoOp.INSTANCE)))));
    byte[] raftSnapshotPart =
        Arrays.copyOfRange(
            bytes(
                new JournalSnapshot(
                    new RecoveredState(
                        TermAndVote.INITIAL,
                        List.of(),
                        new StoredSnapshot(
                            new SnapshotMetadata(40, 3, List.of("n1")), new byte[] {9})))),
            0,
            1 + 8 + 1 + 1 + 8 + 8 + 4 + 4 + 2 + 4 + 1);
    byte[] spliced = new byte[raftSnapshotPart.length + logFromOne.length - 11];
    System.arraycopy(raftSnapshotPart, 0, spliced, 0, raftSnapshotPart.length);
    System.arraycopy(logFromOne, 11, spliced, raftSnapshotPart.length, logFromOne.length - 11);

    assertThatThrownBy(() -> decode(spliced, JournalEventSerializer.JOURNAL_SNAPSHOT))
        .isInstanceOf(NotSerializableException.class)
        .hasMessageContaining("recovered log starts at 1, expected 41");
  }

  @Test
  void termAndVoteChangesRoundTrip() {
    for (JournalEvent event :
        List.of(
            new JournalEvent.TermAndVoteChanged(0, null),
            new JournalEvent.TermAndVoteChanged(7, "n2"),
            new JournalEvent.TermAndVoteChanged(Long.MAX_VALUE, "nœud-ü"))) {
      assertThat(roundTrip(event)).isEqualTo(event);
    }
  }

  @Test
  void entriesWithNoOpsStringsAndUserSerializedCommandsRoundTrip() {
    JournalEvent.EntriesAppended event =
        new JournalEvent.EntriesAppended(
            List.of(
                new LogEntry(41, 3, EntryPayload.NoOp.INSTANCE),
                new LogEntry(42, 3, TestCommands.text("set x=1")),
                new LogEntry(
                    43,
                    4,
                    new EntryPayload.UserCommand(4242, "greeting-v2", new byte[] {7, 0, -1})),
                new LogEntry(44, 4, TestCommands.text(""))));

    assertThat(roundTrip(event)).isEqualTo(event);
  }

  @Test
  void commandsWithAlternatingManifestsKeepEachTheirOwn() throws Exception {
    // The encoder remembers the last manifest's bytes: a change of manifest must not reuse them.
    String[] manifests = {"a", "a", "mañana-v2", "", "a", "", "mañana-v2"};
    List<LogEntry> renumbered = new ArrayList<>();
    for (int i = 0; i < manifests.length; i++) {
      renumbered.add(
          new LogEntry(
              renumbered.size() + 100L,
              9,
              new EntryPayload.UserCommand(30 + i, manifests[i], new byte[] {(byte) i})));
      if (i == 2) {
        renumbered.add(new LogEntry(renumbered.size() + 100L, 9, EntryPayload.NoOp.INSTANCE));
      }
    }
    JournalEvent.EntriesAppended event = new JournalEvent.EntriesAppended(renumbered);

    byte[] encoded = bytes(event);

    int manifestBytes = 0;
    for (String manifest : manifests) {
      manifestBytes += manifest.getBytes(StandardCharsets.UTF_8).length;
    }
    // Exactly sized: header, 9 bytes per entry, 12 per command plus its manifest and one payload
    // byte.
    assertThat(encoded)
        .hasSize(
            13 + 9 * renumbered.size() + 12 * manifests.length + manifestBytes + manifests.length);
    assertThat(decode(encoded, "E")).isEqualTo(event);
  }

  @Test
  void commandBytesRoundTripVerbatimWhateverTheirSerializer() {
    byte[] command = {0, 1, 2, (byte) 0xFF};
    // A serializer id no system here knows: the journal stores bytes, it never interprets them.
    JournalEvent.EntriesAppended event =
        new JournalEvent.EntriesAppended(
            List.of(new LogEntry(1, 1, new EntryPayload.UserCommand(987_654, "v1", command))));

    JournalEvent.EntriesAppended back = (JournalEvent.EntriesAppended) roundTrip(event);

    assertThat(back.entries().get(0).payload())
        .isInstanceOfSatisfying(
            EntryPayload.UserCommand.class,
            user -> {
              assertThat(user.serializerId()).isEqualTo(987_654);
              assertThat(user.manifest()).isEqualTo("v1");
              assertThat(user.bytes()).containsExactly(command);
            });
  }

  @Test
  void formatVersionOneIsStable() throws Exception {
    // Golden bytes: a change here breaks every journal written before it.
    String termAndVote = "01" + "0000000000000003" + "01" + "00000002" + "6e31";
    String entries =
        "01"
            + "0000000000000005" // first index
            + "00000002" // count
            + "0000000000000002"
            + "00" // term 2, no-op
            + "0000000000000002"
            + "01" // term 2, user command
            + "00000014"
            + "00000000"
            + "00000001"
            + "78"; // String serializer 20, "", "x"
    JournalEvent.TermAndVoteChanged tv = new JournalEvent.TermAndVoteChanged(3, "n1");
    JournalEvent.EntriesAppended appended =
        new JournalEvent.EntriesAppended(
            List.of(
                new LogEntry(5, 2, EntryPayload.NoOp.INSTANCE),
                new LogEntry(6, 2, TestCommands.text("x"))));

    assertThat(HexFormat.of().formatHex(bytes(tv))).isEqualTo(termAndVote);
    assertThat(HexFormat.of().formatHex(bytes(appended))).isEqualTo(entries);
    assertThat(decode(HexFormat.of().parseHex(termAndVote), "T")).isEqualTo(tv);
    assertThat(decode(HexFormat.of().parseHex(entries), "E")).isEqualTo(appended);
  }

  @Test
  void unreadableBytesFailWithTheReason() {
    byte[] valid = bytes(new JournalEvent.TermAndVoteChanged(3, "n1"));
    byte[] otherVersion = valid.clone();
    otherVersion[0] = 9;
    byte[] trailing = Arrays.copyOf(valid, valid.length + 2);
    byte[] truncated = Arrays.copyOf(valid, valid.length - 1);
    byte[] hugeCount = HexFormat.of().parseHex("01" + "0000000000000001" + "7fffffff");

    assertThatThrownBy(() -> decode(otherVersion, "T"))
        .isInstanceOf(NotSerializableException.class)
        .hasMessageContaining("version 9");
    assertThatThrownBy(() -> decode(trailing, "T"))
        .isInstanceOf(NotSerializableException.class)
        .hasMessageContaining("2 trailing bytes");
    assertThatThrownBy(() -> decode(truncated, "T"))
        .isInstanceOf(NotSerializableException.class)
        .hasMessageContaining("exceeds");
    assertThatThrownBy(() -> decode(valid, "X"))
        .isInstanceOf(NotSerializableException.class)
        .hasMessageContaining("Unknown Keel journal event manifest 'X'");
    assertThatThrownBy(() -> decode(hugeCount, "E"))
        .isInstanceOf(NotSerializableException.class)
        .hasMessageContaining("Impossible entry count");
  }

  @Test
  void eventsValidateTheirEntries() {
    assertThatThrownBy(() -> new JournalEvent.EntriesAppended(List.of()))
        .hasMessageContaining("no entries");
    assertThatThrownBy(
            () ->
                new JournalEvent.EntriesAppended(
                    List.of(Journals.entry(1, 1), Journals.entry(3, 1))))
        .hasMessageContaining("not consecutive at index 3");
  }
}
