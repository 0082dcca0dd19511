package dev.keel.raft.persistence;

import java.nio.charset.StandardCharsets;

/** User commands in their stored form, as a leader serializes them, for tests. */
public final class TestCommands {

  /** Pekko's {@code StringSerializer}: UTF-8 bytes, no manifest. */
  public static final int STRING_SERIALIZER = 20;

  private TestCommands() {}

  /** A string command as Pekko's string serializer writes it. */
  public static EntryPayload.UserCommand text(String command) {
    return new EntryPayload.UserCommand(
        STRING_SERIALIZER, "", command.getBytes(StandardCharsets.UTF_8));
  }
}
