package dev.keel.raft.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ImmutableSerializer;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.jspecify.annotations.Nullable;

/**
 * Actor references on the wire: their serialization format (the actor's path with address and uid),
 * written as a string and resolved again by the receiving system. Every implementation class of a
 * reference (local, remote, temporary ask references, adapters, probes) shares one registration,
 * see {@link KeelClassResolver}.
 */
final class ActorRefSerializers {

  private ActorRefSerializers() {}

  /**
   * Turns references into strings and back for one actor system. The typed resolver is looked up on
   * first use: the serializer is built while the system starts, before its extensions can be.
   */
  static final class ActorRefCodec {
    private final ExtendedActorSystem system;
    private volatile @Nullable ActorRefResolver resolver;

    ActorRefCodec(ExtendedActorSystem system) {
      this.system = system;
    }

    private ActorRefResolver resolver() {
      ActorRefResolver current = resolver;
      if (current == null) {
        current = ActorRefResolver.get(Adapter.toTyped(system));
        resolver = current;
      }
      return current;
    }

    String toString(ActorRef<?> ref) {
      return resolver().toSerializationFormat(ref);
    }

    <T> ActorRef<T> typed(String path) {
      return resolver().resolveActorRef(path);
    }

    String toString(org.apache.pekko.actor.ActorRef ref) {
      return Serialization.serializedActorPath(ref);
    }

    org.apache.pekko.actor.ActorRef classic(String path) {
      return system.provider().resolveActorRef(path);
    }
  }

  /** Typed {@link ActorRef}s of any implementation class. */
  static final class TypedActorRefSerializer extends ImmutableSerializer<ActorRef<?>> {
    private final ActorRefCodec codec;

    TypedActorRefSerializer(ActorRefCodec codec) {
      this.codec = codec;
    }

    @Override
    public void write(Kryo kryo, Output output, ActorRef<?> ref) {
      Wire.writeString(output, codec.toString(ref));
    }

    @Override
    public ActorRef<?> read(Kryo kryo, Input input, Class<? extends ActorRef<?>> type) {
      return codec.typed(Wire.readString(input, "actor reference"));
    }
  }

  /** Classic {@link org.apache.pekko.actor.ActorRef}s of any implementation class. */
  static final class ClassicActorRefSerializer
      extends ImmutableSerializer<org.apache.pekko.actor.ActorRef> {
    private final ActorRefCodec codec;

    ClassicActorRefSerializer(ActorRefCodec codec) {
      this.codec = codec;
    }

    @Override
    public void write(Kryo kryo, Output output, org.apache.pekko.actor.ActorRef ref) {
      Wire.writeString(output, codec.toString(ref));
    }

    @Override
    public org.apache.pekko.actor.ActorRef read(
        Kryo kryo, Input input, Class<? extends org.apache.pekko.actor.ActorRef> type) {
      return codec.classic(Wire.readString(input, "actor reference"));
    }
  }
}
