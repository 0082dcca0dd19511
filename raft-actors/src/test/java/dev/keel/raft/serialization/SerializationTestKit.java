package dev.keel.raft.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/** An actor system with the user's registrations, and round trips through its serialization. */
final class SerializationTestKit {

  final ActorTestKit testKit;
  final Serialization serialization;

  SerializationTestKit(String name) {
    testKit =
        ActorTestKit.create(
            name,
            ConfigFactory.parseString(UserTypes.REGISTRATIONS).withFallback(ConfigFactory.load()));
    serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
  }

  /** Keel's serializer in this system. */
  KeelKryoSerializer serializer() {
    return (KeelKryoSerializer)
        serialization.serializerByIdentity().apply(KeelKryoSerializer.IDENTIFIER);
  }

  /**
   * Serializes {@code message} as Pekko does before sending it to another node (the binding picks
   * the serializer), checks that Keel's serializer was picked, and deserializes the bytes.
   */
  @SuppressWarnings("unchecked")
  <T> T roundTrip(T message) {
    Serializer serializer = serialization.findSerializerFor(message);
    assertThat(serializer.identifier())
        .as("serializer bound to %s", message.getClass().getName())
        .isEqualTo(KeelKryoSerializer.IDENTIFIER);
    String manifest = Serializers.manifestFor(serializer, message);
    byte[] bytes = serialization.serialize(message).get();
    return (T) serialization.deserialize(bytes, serializer.identifier(), manifest).get();
  }

  void shutdown() {
    testKit.shutdownTestKit();
  }
}
