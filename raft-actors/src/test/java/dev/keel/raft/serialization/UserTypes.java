package dev.keel.raft.serialization;

import dev.keel.raft.RaftPeer;
import java.util.Objects;

/** A user's state machine types, as a test registers them through configuration. */
final class UserTypes {

  /** The configuration that registers them. */
  static final String REGISTRATIONS =
      """
      keel.serialization.kryo.registrations {
        "dev.keel.raft.serialization.UserTypes$Put" = 1000
        "dev.keel.raft.serialization.UserTypes$Get" = 1001
        "dev.keel.raft.serialization.UserTypes$Op" = 1002
        "dev.keel.raft.serialization.UserTypes$Counter" = 1003
      }
      """;

  private UserTypes() {}

  /** A command. */
  record Put(String key, String value, Op op) {}

  /** A query. */
  record Get(String key) {}

  /** An enum inside a command. */
  enum Op {
    SET,
    DELETE
  }

  /** A plain class with a no-argument constructor, written field by field. */
  static final class Counter {
    private long value;
    private String name = "";

    Counter() {}

    Counter(String name, long value) {
      this.name = name;
      this.value = value;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Counter c && c.value == value && c.name.equals(name);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, value);
    }

    @Override
    public String toString() {
      return "Counter[" + name + "=" + value + "]";
    }
  }

  /** A command nobody registered. */
  record Unregistered(String payload) {}

  /** A peer command nobody registered (bound to keel-kryo through RaftPeer.Command). */
  record StrayCommand(String payload) implements RaftPeer.Command {}
}
