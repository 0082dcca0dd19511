package dev.keel.raft.persistence;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a Raft log entry carries: the leader's no-op that opens each term, or a command of the
 * user's state machine. Membership changes will join this hierarchy.
 */
public sealed interface EntryPayload permits EntryPayload.NoOp, EntryPayload.UserCommand {

  /** The entry a new leader appends at the start of its term so it can commit earlier ones (§8). */
  record NoOp() implements EntryPayload {
    /** The one instance; the record has no state. */
    public static final NoOp INSTANCE = new NoOp();
  }

  /**
   * A command for the user's state machine, in serialized form. The leader serializes each command
   * once, with the Pekko serializer bound to its class, before the command enters its log; the same
   * bytes then go to every journal and over the wire, and each replica deserializes them to apply
   * them. Storage therefore never serializes user objects and can store every entry it is given.
   *
   * @param serializerId the Pekko serializer's identifier
   * @param manifest the serializer's manifest for the command, empty if it uses none
   * @param bytes the serialized command; never modified, so entries can be shared
   */
  record UserCommand(int serializerId, String manifest, byte[] bytes) implements EntryPayload {

    /** Validates the command. */
    public UserCommand {
      Objects.requireNonNull(manifest, "manifest");
      Objects.requireNonNull(bytes, "bytes");
    }

    /** Compares the bytes by content, like the other fields. */
    @Override
    public boolean equals(Object other) {
      return other instanceof UserCommand that
          && serializerId == that.serializerId
          && manifest.equals(that.manifest)
          && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
      return 31 * Objects.hash(serializerId, manifest) + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "UserCommand[serializer="
          + serializerId
          + ", manifest="
          + manifest
          + ", "
          + bytes.length
          + " bytes]";
    }
  }
}
