package dev.keel.raft.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import dev.keel.raft.serialization.ActorRefSerializers.ActorRefCodec;

/**
 * A class that may cross the wire, with its registration id and how to make its serializer for one
 * Kryo instance (instances are pooled, and some serializers hold per-instance state).
 *
 * @param id the registration id, identical on every node; also the Pekko manifest
 * @param type the class
 * @param serializer makes the serializer for one Kryo instance
 */
record KryoRegistration(int id, Class<?> type, SerializerFactory serializer) {

  /** Makes a serializer for one Kryo instance. */
  @FunctionalInterface
  interface SerializerFactory {
    /**
     * The serializer.
     *
     * @param kryo the instance it will serve
     * @param refs turns actor references into strings and back
     */
    Serializer<?> create(Kryo kryo, ActorRefCodec refs);
  }

  /** A registration with a stateless serializer shared by all Kryo instances. */
  static KryoRegistration shared(int id, Class<?> type, Serializer<?> serializer) {
    return new KryoRegistration(id, type, (kryo, refs) -> serializer);
  }

  /** A registration with the serializer Kryo picks for the class by default. */
  static KryoRegistration kryoDefault(int id, Class<?> type) {
    return new KryoRegistration(id, type, (kryo, refs) -> kryo.getDefaultSerializer(type));
  }
}
