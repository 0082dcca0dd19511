package dev.keel.raft;

import dev.keel.raft.persistence.EntryPayload;
import java.nio.charset.StandardCharsets;

/** User commands in the form a leader stores them, for tests that build log entries by hand. */
public final class TestCommands {

  /** Pekko's {@code StringSerializer}: UTF-8 bytes, no manifest. */
  public static final int STRING_SERIALIZER = 20;

  private TestCommands() {}

  /** A string command as a leader serializes it (Pekko's string serializer). */
  public static EntryPayload.UserCommand text(String command) {
    return new EntryPayload.UserCommand(
        STRING_SERIALIZER, "", command.getBytes(StandardCharsets.UTF_8));
  }
}
