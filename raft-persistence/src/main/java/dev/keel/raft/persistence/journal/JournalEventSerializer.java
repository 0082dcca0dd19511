package dev.keel.raft.persistence.journal;

import dev.keel.raft.persistence.EntryPayload;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.RecoveredState;
import dev.keel.raft.persistence.SnapshotMetadata;
import dev.keel.raft.persistence.StoredSnapshot;
import dev.keel.raft.persistence.TermAndVote;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.jspecify.annotations.Nullable;

/**
 * Pekko serializer of {@link JournalEvent}s and journal snapshots, with an explicit binary format
 * that later versions of Keel must keep reading. Bound to {@code JournalEvent} in this module's
 * {@code reference.conf}; identifier {@value #IDENTIFIER}.
 *
 * <p>Format, big-endian ({@link DataOutputStream}); every event starts with a format version byte
 * (currently {@value #VERSION}), and the manifest names the event type:
 *
 * <ul>
 *   <li>{@code "T"} TermAndVoteChanged: {@code [version][int64 term][bool hasVote][string votedFor
 *       if hasVote]}
 *   <li>{@code "E"} EntriesAppended: {@code [version][int64 firstIndex][int32 count]} then per
 *       entry {@code [int64 term][byte kind]}; kind 0 is the leader's no-op, kind 1 a user command
 *       followed by {@code [int32 serializerId][string manifest][int32 length][bytes]}: the command
 *       as the leader serialized it (indexes are consecutive, so only the first is stored)
 *   <li>{@code "S"} SnapshotSaved: {@code [version][int64 lastIncludedIndex][int64
 *       lastIncludedTerm][int32 memberCount][string member]...[bool keepLaterEntries][int32
 *       length][snapshot bytes]}
 *   <li>{@code "P"} a {@link JournalSnapshot} (the Pekko snapshot of a peer's journal actor):
 *       {@code [version][int64 term][bool hasVote][string votedFor if hasVote][bool
 *       hasRaftSnapshot]}, if it has one {@code [int64 lastIncludedIndex][int64
 *       lastIncludedTerm][int32 memberCount][string member]...[int32 length][snapshot bytes]}, then
 *       {@code [bool hasEntries]} and, if it has entries, the entries as in {@code "E"}
 *   <li>a string is {@code [int32 length][UTF-8 bytes]}
 * </ul>
 *
 * <p>User commands arrive already serialized ({@link EntryPayload.UserCommand}: the leader wrote
 * them once with the Pekko serializer bound to their class) and are stored and read back as those
 * bytes, never deserialized here. Bytes that do not parse (unknown version or manifest, bad
 * lengths, trailing bytes) fail with a {@link NotSerializableException} naming the problem.
 */
public final class JournalEventSerializer extends SerializerWithStringManifest {

  /** This serializer's fixed Pekko identifier. */
  public static final int IDENTIFIER = 7401;

  /** The format version written by this release. */
  public static final byte VERSION = 1;

  static final String TERM_AND_VOTE_CHANGED = "T";
  static final String ENTRIES_APPENDED = "E";
  static final String SNAPSHOT_SAVED = "S";
  static final String JOURNAL_SNAPSHOT = "P";

  private static final byte NO_OP = 0;
  private static final byte USER_COMMAND = 1;

  /** Created by Pekko serialization. */
  public JournalEventSerializer() {
    // stateless: user commands arrive already serialized
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object o) {
    if (o instanceof JournalEvent.TermAndVoteChanged) {
      return TERM_AND_VOTE_CHANGED;
    } else if (o instanceof JournalEvent.EntriesAppended) {
      return ENTRIES_APPENDED;
    } else if (o instanceof JournalEvent.SnapshotSaved) {
      return SNAPSHOT_SAVED;
    } else if (o instanceof JournalSnapshot) {
      return JOURNAL_SNAPSHOT;
    }
    throw new IllegalArgumentException(
        "Not a Keel journal event or snapshot: " + o.getClass().getName());
  }

  @Override
  public byte[] toBinary(Object o) {
    if (o instanceof JournalEvent.EntriesAppended appended) {
      // The hot path (every journal write of a peer): sized exactly, written without copies.
      return encodeEntriesAppended(appended.entries());
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    DataOutputStream out = new DataOutputStream(bytes);
    try {
      out.writeByte(VERSION);
      if (o instanceof JournalEvent.TermAndVoteChanged changed) {
        writeTermAndVote(out, changed.termAndVote());
      } else if (o instanceof JournalEvent.SnapshotSaved saved) {
        writeSnapshot(out, saved);
      } else if (o instanceof JournalSnapshot journalSnapshot) {
        writeJournalSnapshot(out, journalSnapshot);
      } else {
        throw new IllegalArgumentException(
            "Not a Keel journal event or snapshot: " + o.getClass().getName());
      }
      out.flush();
    } catch (IOException e) {
      // The stream is in memory and every field is already bytes: this cannot happen.
      throw new IllegalStateException("Cannot serialize " + o.getClass().getSimpleName(), e);
    }
    return bytes.toByteArray();
  }

  private static void writeTermAndVote(DataOutputStream out, TermAndVote termAndVote)
      throws IOException {
    out.writeLong(termAndVote.term());
    String votedFor = termAndVote.votedFor();
    out.writeBoolean(votedFor != null);
    if (votedFor != null) {
      writeString(out, votedFor);
    }
  }

  private void writeJournalSnapshot(DataOutputStream out, JournalSnapshot saved)
      throws IOException {
    RecoveredState state = saved.state();
    writeTermAndVote(out, state.termAndVote());
    StoredSnapshot raftSnapshot = state.snapshot();
    out.writeBoolean(raftSnapshot != null);
    if (raftSnapshot != null) {
      writeMetadata(out, raftSnapshot.metadata());
      out.writeInt(raftSnapshot.size());
      out.write(raftSnapshot.data());
    }
    out.writeBoolean(!state.entries().isEmpty());
    if (!state.entries().isEmpty()) {
      out.write(encodeEntries(state.entries(), 0));
    }
  }

  private static JournalSnapshot readJournalSnapshot(DataInputStream in) throws IOException {
    TermAndVote termAndVote = readTermAndVote(in).termAndVote();
    StoredSnapshot raftSnapshot = null;
    if (in.readBoolean()) {
      SnapshotMetadata metadata = readMetadata(in);
      raftSnapshot = new StoredSnapshot(metadata, readBytes(in));
    }
    List<LogEntry> entries = in.readBoolean() ? readEntries(in).entries() : List.of();
    // RecoveredState refuses a log that does not start right after the Raft snapshot.
    return new JournalSnapshot(new RecoveredState(termAndVote, entries, raftSnapshot));
  }

  /**
   * {@code "E"} (version byte first) in one exactly sized array: no buffer growth or final copy as
   * with a {@link ByteArrayOutputStream}, and each distinct manifest encoded once per event rather
   * than once per entry.
   */
  private static byte[] encodeEntriesAppended(List<LogEntry> entries) {
    byte[] event = encodeEntries(entries, 1);
    event[0] = VERSION;
    return event;
  }

  /**
   * The entries as {@code "E"} and {@code "P"} store them, after {@code offset} bytes left for the
   * caller: {@code [int64 firstIndex][int32 count]} then each entry.
   */
  private static byte[] encodeEntries(List<LogEntry> entries, int offset) {
    ManifestBytes manifests = new ManifestBytes();
    long size = offset + Long.BYTES + Integer.BYTES;
    for (LogEntry entry : entries) {
      size += Long.BYTES + 1;
      if (entry.payload() instanceof EntryPayload.UserCommand command) {
        size +=
            Integer.BYTES * 3L + manifests.of(command.manifest()).length + command.bytes().length;
      }
    }
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "A journal event of " + entries.size() + " entries would take " + size + " bytes");
    }
    ByteBuffer out = ByteBuffer.allocate((int) size).position(offset);
    out.putLong(entries.get(0).index()).putInt(entries.size());
    for (LogEntry entry : entries) {
      out.putLong(entry.term());
      if (entry.payload() instanceof EntryPayload.UserCommand command) {
        byte[] manifest = manifests.of(command.manifest());
        out.put(USER_COMMAND)
            .putInt(command.serializerId())
            .putInt(manifest.length)
            .put(manifest)
            .putInt(command.bytes().length)
            .put(command.bytes());
      } else {
        out.put(NO_OP);
      }
    }
    return out.array();
  }

  /** The UTF-8 bytes of manifests, remembering the last one: a batch's commands share theirs. */
  private static final class ManifestBytes {
    private @Nullable String last;
    private byte[] lastBytes = new byte[0];

    byte[] of(String manifest) {
      if (!manifest.equals(last)) {
        last = manifest;
        lastBytes = manifest.getBytes(StandardCharsets.UTF_8);
      }
      return lastBytes;
    }
  }

  private static void writeSnapshot(DataOutputStream out, JournalEvent.SnapshotSaved saved)
      throws IOException {
    writeMetadata(out, saved.snapshot().metadata());
    out.writeBoolean(saved.keepLaterEntries());
    out.writeInt(saved.snapshot().size());
    out.write(saved.snapshot().data());
  }

  private static void writeMetadata(DataOutputStream out, SnapshotMetadata metadata)
      throws IOException {
    out.writeLong(metadata.lastIncludedIndex());
    out.writeLong(metadata.lastIncludedTerm());
    out.writeInt(metadata.members().size());
    for (String member : metadata.members()) {
      writeString(out, member);
    }
  }

  private static JournalEvent.SnapshotSaved readSnapshot(DataInputStream in) throws IOException {
    SnapshotMetadata metadata = readMetadata(in);
    boolean keepLaterEntries = in.readBoolean();
    byte[] data = readBytes(in);
    return new JournalEvent.SnapshotSaved(new StoredSnapshot(metadata, data), keepLaterEntries);
  }

  private static SnapshotMetadata readMetadata(DataInputStream in) throws IOException {
    long index = in.readLong();
    long term = in.readLong();
    int memberCount = in.readInt();
    if (memberCount < 0 || memberCount > in.available() / 4) {
      throw new NotSerializableException("Impossible member count " + memberCount);
    }
    List<String> members = new ArrayList<>(memberCount);
    for (int i = 0; i < memberCount; i++) {
      members.add(readString(in));
    }
    return new SnapshotMetadata(index, term, members);
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    try {
      byte version = in.readByte();
      if (version != VERSION) {
        throw new NotSerializableException(
            "Unsupported Keel journal event format version "
                + version
                + " (manifest "
                + manifest
                + "); this release reads version "
                + VERSION);
      }
      Object event =
          switch (manifest) {
            case TERM_AND_VOTE_CHANGED -> readTermAndVote(in);
            case ENTRIES_APPENDED -> readEntries(in);
            case SNAPSHOT_SAVED -> readSnapshot(in);
            case JOURNAL_SNAPSHOT -> readJournalSnapshot(in);
            default ->
                throw new NotSerializableException(
                    "Unknown Keel journal event manifest '" + manifest + "'");
          };
      if (in.available() > 0) {
        throw new NotSerializableException(
            in.available()
                + " trailing bytes after a Keel journal event (manifest "
                + manifest
                + ")");
      }
      return event;
    } catch (NotSerializableException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      NotSerializableException failure =
          new NotSerializableException(
              "Malformed Keel journal event (manifest " + manifest + "): " + e);
      failure.initCause(e);
      throw failure;
    }
  }

  private static JournalEvent.TermAndVoteChanged readTermAndVote(DataInputStream in)
      throws IOException {
    long term = in.readLong();
    String votedFor = in.readBoolean() ? readString(in) : null;
    return new JournalEvent.TermAndVoteChanged(term, votedFor);
  }

  private static JournalEvent.EntriesAppended readEntries(DataInputStream in) throws IOException {
    long firstIndex = in.readLong();
    int count = in.readInt();
    // Each entry takes at least 9 bytes: a count beyond what is left is garbage, not a big list.
    if (count < 1 || count > in.available() / 9) {
      throw new NotSerializableException("Impossible entry count " + count);
    }
    List<LogEntry> entries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long term = in.readLong();
      byte kind = in.readByte();
      EntryPayload payload =
          switch (kind) {
            case NO_OP -> EntryPayload.NoOp.INSTANCE;
            case USER_COMMAND -> readCommand(in);
            default -> throw new NotSerializableException("Unknown entry payload kind " + kind);
          };
      entries.add(new LogEntry(firstIndex + i, term, payload));
    }
    return new JournalEvent.EntriesAppended(entries);
  }

  private static EntryPayload.UserCommand readCommand(DataInputStream in) throws IOException {
    int serializerId = in.readInt();
    String manifest = readString(in);
    return new EntryPayload.UserCommand(serializerId, manifest, readBytes(in));
  }

  private static void writeString(DataOutputStream out, String value) throws IOException {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static String readString(DataInputStream in) throws IOException {
    return new String(readBytes(in), StandardCharsets.UTF_8);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > in.available()) {
      throw new NotSerializableException(
          "Length " + length + " exceeds the " + in.available() + " bytes left");
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }
}
