package dev.keel.raft.internal;

import dev.keel.raft.persistence.EntryPayload;
import java.io.NotSerializableException;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.serialization.ByteArraySerializer;
import org.apache.pekko.serialization.DisabledJavaSerializer;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import scala.Tuple2;
import scala.util.Try;

/**
 * Turns user commands into the bytes the log carries, and back. The leader encodes each command
 * once, before it enters its log, with the Pekko serializer bound to the command's class; journals
 * and the wire then carry those bytes, and every replica's applier decodes them. A command that
 * cannot be written, or whose bytes its serializer cannot read back, is refused at the leader
 * alone: it never reaches a log, where it would fail every replica.
 *
 * <p>Not thread-safe: one instance per actor.
 */
final class CommandCodec {

  /** Why a command cannot enter the log; the message names its class and the fix. */
  static final class UnserializableCommandException extends Exception {
    private static final long serialVersionUID = 1L;

    UnserializableCommandException(Class<?> type, String problem) {
      super(
          "Cannot replicate a command of class "
              + type.getName()
              + ": "
              + problem
              + "; bind a serializer that can write and read it in"
              + " pekko.actor.serialization-bindings (for Keel's Kryo serializer: \""
              + type.getName()
              + "\" = keel-kryo, and register the class and the classes it holds in"
              + " keel.serialization.kryo.registrations), identically on every node");
    }
  }

  private final Serialization serialization;
  // Per command class: its serializer, or why it has none. Looking bindings up ourselves keeps
  // Pekko from choosing (and warning about) Java serialization for a Serializable class.
  private final Map<Class<?>, Object> serializerByClass = new HashMap<>();

  CommandCodec(ActorSystem<?> system) {
    this.serialization = SerializationExtension.get(system);
  }

  /**
   * The command in the form the log carries.
   *
   * @throws UnserializableCommandException if it cannot be written, or not read back
   */
  EntryPayload.UserCommand encode(Object command) throws UnserializableCommandException {
    Serializer serializer = serializerFor(command.getClass());
    EntryPayload.UserCommand encoded;
    try {
      encoded =
          new EntryPayload.UserCommand(
              serializer.identifier(),
              Serializers.manifestFor(serializer, command),
              serializer.toBinary(command));
    } catch (Exception e) { // serializers throw checked exceptions they do not declare
      throw new UnserializableCommandException(
          command.getClass(),
          "its serializer " + serializer.getClass().getName() + " failed: " + e);
    }
    if (!readsBackTrivially(serializer)) {
      try {
        decode(encoded);
      } catch (NotSerializableException e) {
        throw new UnserializableCommandException(
            command.getClass(),
            "its serializer "
                + serializer.getClass().getName()
                + " wrote it but cannot read it back: "
                + e.getMessage());
      }
    }
    return encoded;
  }

  /**
   * The command the state machine applies.
   *
   * @throws NotSerializableException if no serializer here can read the bytes
   */
  Object decode(EntryPayload.UserCommand command) throws NotSerializableException {
    Try<Object> decoded =
        serialization.deserialize(command.bytes(), command.serializerId(), command.manifest());
    if (decoded.isFailure()) {
      Throwable cause = decoded.failed().get();
      NotSerializableException failure =
          new NotSerializableException(
              "serializer "
                  + command.serializerId()
                  + " (manifest '"
                  + command.manifest()
                  + "') cannot read "
                  + command.bytes().length
                  + " bytes: "
                  + cause);
      failure.initCause(cause);
      throw failure;
    }
    return decoded.get();
  }

  private static boolean readsBackTrivially(Serializer serializer) {
    return serializer instanceof StringSerializer || serializer instanceof ByteArraySerializer;
  }

  private Serializer serializerFor(Class<?> type) throws UnserializableCommandException {
    Object found = serializerByClass.computeIfAbsent(type, this::lookUp);
    if (found instanceof Serializer serializer) {
      return serializer;
    }
    throw new UnserializableCommandException(type, (String) found);
  }

  /** The class's serializer, or why it has none. */
  private Object lookUp(Class<?> type) {
    if (!hasBindingOtherThanJava(type)) {
      return "no serializer is bound to it (Java serialization is off)";
    }
    Serializer serializer;
    try {
      serializer = serialization.serializerFor(type);
    } catch (Exception e) { // NotSerializableException, undeclared by the Scala API
      return "no serializer is bound to it (" + e.getMessage() + ")";
    }
    if (serializer instanceof DisabledJavaSerializer) {
      return "it is bound only to Java serialization, which is off";
    }
    return serializer;
  }

  private boolean hasBindingOtherThanJava(Class<?> type) {
    scala.collection.Iterator<Tuple2<Class<?>, Serializer>> bindings =
        serialization.bindings().iterator();
    while (bindings.hasNext()) {
      Tuple2<Class<?>, Serializer> binding = bindings.next();
      if (binding._1().isAssignableFrom(type) && !isJava(binding._2())) {
        return true;
      }
    }
    return false;
  }

  private static boolean isJava(@Nullable Serializer serializer) {
    return serializer instanceof DisabledJavaSerializer
        || serializer instanceof org.apache.pekko.serialization.JavaSerializer;
  }
}
