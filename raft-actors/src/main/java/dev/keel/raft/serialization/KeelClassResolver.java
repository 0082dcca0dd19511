package dev.keel.raft.serialization;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import org.apache.pekko.actor.typed.ActorRef;
import org.jspecify.annotations.Nullable;

/**
 * Kryo's class resolver, with two changes. Any implementation of a typed or classic actor reference
 * uses the one registration of its interface (the runtime classes vary: local and remote
 * references, temporary ask references, adapters). And class names on the wire are refused: a frame
 * can only name classes by registration id, so it cannot make this node load, let alone
 * instantiate, a class of its choosing.
 */
final class KeelClassResolver extends DefaultClassResolver {

  @Override
  // Kryo declares a raw Class parameter; an override must repeat it.
  @SuppressWarnings("rawtypes")
  public @Nullable Registration getRegistration(Class type) {
    Registration registration = super.getRegistration(type);
    if (registration != null) {
      return registration;
    }
    if (ActorRef.class.isAssignableFrom(type)) {
      return super.getRegistration(ActorRef.class);
    }
    if (org.apache.pekko.actor.ActorRef.class.isAssignableFrom(type)) {
      return super.getRegistration(org.apache.pekko.actor.ActorRef.class);
    }
    return null;
  }

  @Override
  protected Registration readName(Input input) {
    throw new KryoException(
        "Malformed frame: it names a class instead of giving a registration id;"
            + " Keel's Kryo serializer never loads classes named on the wire");
  }
}
