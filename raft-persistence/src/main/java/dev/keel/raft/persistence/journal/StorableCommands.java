package dev.keel.raft.persistence.journal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.serialization.DisabledJavaSerializer;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.jspecify.annotations.Nullable;

/**
 * Tells whether {@link JournalEventSerializer} will be able to write a user command, for {@link
 * JournaledRaftStorage#checkStorable}.
 *
 * <p>The first command of each class is serialized once, as the journal serializer will do it (the
 * serializer Pekko binds to the class, its manifest, {@code toBinary}); a class that passed is
 * remembered, so later commands of it cost one set lookup. This is a check per class, not per
 * command: a later command of a class that passed, which its serializer cannot write after all,
 * still fails the storage. Thread-safe.
 */
final class StorableCommands {

  private static final String HOW_TO_FIX =
      "bind a serializer that can write it in pekko.actor.serialization-bindings";

  private final Serialization serialization;
  // Classes whose first command serialized. Failures are not remembered: a class may fail for one
  // instance only, and then its later, writable instances must still pass.
  private final Set<Class<?>> passed = ConcurrentHashMap.newKeySet();

  StorableCommands(Serialization serialization) {
    this.serialization = serialization;
  }

  /**
   * Checks {@code command}.
   *
   * @throws IllegalArgumentException naming the command's class, the problem and the fix
   */
  void check(Object command) {
    Class<?> type = command.getClass();
    if (passed.contains(type)) {
      return;
    }
    String problem = problem(command);
    if (problem != null) {
      throw new IllegalArgumentException(
          "Cannot store a command of class "
              + type.getName()
              + " in the Raft log: "
              + problem
              + "; "
              + HOW_TO_FIX);
    }
    passed.add(type);
  }

  // Pekko's Scala API throws checked exceptions it does not declare, hence catch (Exception).
  private @Nullable String problem(Object command) {
    Serializer serializer;
    try {
      serializer = serialization.findSerializerFor(command);
    } catch (Exception e) {
      return "no serializer is bound to it (" + e.getMessage() + ")";
    }
    if (serializer instanceof DisabledJavaSerializer) {
      return "it is bound only to Java serialization, which is off"
          + " (pekko.actor.allow-java-serialization)";
    }
    try {
      Serializers.manifestFor(serializer, command);
      serializer.toBinary(command);
    } catch (Exception e) {
      return "its serializer " + serializer.getClass().getName() + " cannot write it (" + e + ")";
    }
    return null;
  }
}
