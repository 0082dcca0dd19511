package dev.keel.raft.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import dev.keel.raft.serialization.ActorRefSerializers.ActorRefCodec;
import java.util.List;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * A Kryo instance configured for Keel: registration required, exactly the given registrations
 * (Kryo's own default registrations are removed), no references (messages are trees), a bounded
 * nesting depth, and an error for unregistered classes that says how to register them.
 */
final class KeelKryo extends Kryo {

  /** Deepest nesting of objects read or written; deeper frames are refused, not overflowed. */
  static final int MAX_DEPTH = 100;

  /** Ids of the registrations {@code new Kryo()} makes for primitives and strings. */
  private static final int KRYO_DEFAULT_IDS = 9;

  private KeelKryo() {
    super(new KeelClassResolver(), null);
  }

  /**
   * A Kryo instance with exactly {@code registrations}.
   *
   * @param refs turns actor references into strings and back
   */
  static Kryo create(List<KryoRegistration> registrations, ActorRefCodec refs) {
    KeelKryo kryo = new KeelKryo();
    kryo.setRegistrationRequired(true);
    kryo.setReferences(false);
    kryo.setMaxDepth(MAX_DEPTH);
    // User classes without a no-argument constructor are created without calling one (only
    // registered classes are ever created).
    kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    for (int id = 0; id < KRYO_DEFAULT_IDS; id++) {
      kryo.getClassResolver().unregister(id);
    }
    for (KryoRegistration registration : registrations) {
      kryo.register(
          new Registration(
              registration.type(),
              registration.serializer().create(kryo, refs),
              registration.id()));
    }
    return kryo;
  }

  @Override
  // Kryo declares a raw Class parameter; an override must repeat it.
  @SuppressWarnings("rawtypes")
  protected String unregisteredClassMessage(Class type) {
    return unregisteredMessage(type);
  }

  /** Why {@code type} cannot be serialized, and how to register it. */
  static String unregisteredMessage(Class<?> type) {
    return "Class is not registered with Keel's Kryo serializer: "
        + type.getName()
        + ". Every class that crosses the wire needs a registration id, the same on every node:"
        + " add it to "
        + UserRegistrations.PATH
        + ", e.g. "
        + UserRegistrations.PATH
        + " { \""
        + type.getName()
        + "\" = "
        + KeelRegistrations.FIRST_USER_ID
        + " } (ids from "
        + KeelRegistrations.FIRST_USER_ID
        + " up are yours)";
  }
}
