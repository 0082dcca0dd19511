package dev.keel.raft.serialization;

import com.esotericsoftware.kryo.util.Pool;
import com.typesafe.config.Config;
import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import dev.keel.raft.serialization.ActorRefSerializers.ActorRefCodec;
import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.ConfigurationException;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * Keel's Pekko serializer: every message that crosses the wire between peers (the Raft protocol,
 * client requests and replies, status), written with Kryo 5.
 *
 * <p>Only registered classes are written or read, each under a fixed registration id that is the
 * same on every node; the Pekko manifest is that id. A frame cannot name a class, so a peer cannot
 * make this node load or instantiate a class of its choosing. Keel registers its own classes and
 * common JDK types (ids 100–999); register the commands, queries and results of your state machine
 * with ids from 1000 up, identically on every node:
 *
 * <pre>{@code
 * keel.serialization.kryo.registrations {
 *   "com.acme.Put" = 1000
 *   "com.acme.Get" = 1001
 * }
 * }</pre>
 *
 * <p>Keel's {@code reference.conf} binds {@code RaftPeer.Command}, {@code RaftReply} and {@code
 * PeerStatus} to this serializer under the name {@code keel-kryo}; bind your own message classes to
 * {@code keel-kryo} too if you want, once they are registered. Lengths read from the wire are
 * checked against the frame before anything is allocated, and nesting is bounded, so a malformed
 * frame fails with a {@link NotSerializableException} rather than exhausting memory or stack.
 *
 * <p>Thread-safe: Kryo instances are pooled.
 */
public final class KeelKryoSerializer extends SerializerWithStringManifest {

  /** The serializer's identifier on the wire (Pekko reserves 0–40). */
  public static final int IDENTIFIER = 7400;

  /** Most Kryo instances kept for reuse; more may exist at once under load. */
  private static final int POOL_CAPACITY = 32;

  /** Each registered class's manifest: its registration id. */
  private final Map<Class<?>, String> manifests;

  /** Each registration id's class. */
  private final Map<Integer, Class<?>> types;

  private final Pool<KryoCodec> pool;

  /**
   * Largest Keel message accepted from the wire: Artery's frame size when remoting is on. A peer
   * with a larger frame size could otherwise deliver a message no member could forward.
   */
  private final long maxMessageBytes;

  /**
   * Called by Pekko when the actor system loads its serializers.
   *
   * @param system the actor system; its configuration holds the user's registrations
   * @throws ConfigurationException if {@code keel.serialization.kryo.registrations} is invalid
   */
  public KeelKryoSerializer(ExtendedActorSystem system) {
    List<KryoRegistration> keel = KeelRegistrations.all();
    List<KryoRegistration> all = new ArrayList<>(keel);
    all.addAll(
        UserRegistrations.fromConfig(
            system.settings().config(), system.dynamicAccess().classLoader(), keel));
    Map<Class<?>, String> manifestsByClass = new HashMap<>();
    Map<Integer, Class<?>> typesById = new HashMap<>();
    for (KryoRegistration registration : all) {
      manifestsByClass.put(registration.type(), Integer.toString(registration.id()));
      typesById.put(registration.id(), registration.type());
    }
    this.manifests = Map.copyOf(manifestsByClass);
    this.types = Map.copyOf(typesById);
    ActorRefCodec refs = new ActorRefCodec(system);
    List<KryoRegistration> registrations = List.copyOf(all);
    this.pool =
        new Pool<>(true, false, POOL_CAPACITY) {
          @Override
          protected KryoCodec create() {
            return new KryoCodec(KeelKryo.create(registrations, refs));
          }
        };
    pool.free(createFirstCodec());
    this.maxMessageBytes = maxMessageBytes(system.settings().config());
  }

  private static long maxMessageBytes(Config config) {
    String provider = config.getString("pekko.actor.provider");
    boolean remote = provider.equals("remote") || provider.equals("cluster");
    return remote && config.hasPath(MAXIMUM_FRAME_SIZE)
        ? config.getBytes(MAXIMUM_FRAME_SIZE)
        : Long.MAX_VALUE;
  }

  // Builds one Kryo now, so that a class Kryo cannot serialize fails the start, not a send.
  private KryoCodec createFirstCodec() {
    try {
      return pool.obtain();
    } catch (RuntimeException e) {
      throw new ConfigurationException(
          "Invalid " + UserRegistrations.PATH + ": " + e.getMessage(), e);
    }
  }

  private static final String MAXIMUM_FRAME_SIZE =
      "pekko.remote.artery.advanced.maximum-frame-size";

  /** {@value #IDENTIFIER}. */
  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  /**
   * The registration id of the message's class.
   *
   * @throws IllegalArgumentException if the class is not registered
   */
  @Override
  public String manifest(Object message) {
    String manifest = manifests.get(message.getClass());
    if (manifest == null) {
      throw new IllegalArgumentException(KeelKryo.unregisteredMessage(message.getClass()));
    }
    return manifest;
  }

  /**
   * The message's bytes.
   *
   * @throws IllegalArgumentException if the message or anything it holds is not registered
   */
  @Override
  public byte[] toBinary(Object message) {
    manifest(message);
    KryoCodec codec = pool.obtain();
    try {
      return codec.encode(message);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "Keel's Kryo serializer cannot serialize a "
              + message.getClass().getName()
              + ": "
              + e.getMessage(),
          e);
    } finally {
      pool.free(codec);
    }
  }

  /**
   * The message in {@code bytes}.
   *
   * @param manifest the registration id of the message's class
   * @throws NotSerializableException if the manifest is no registration id known here, the bytes
   *     are malformed, or they are a Keel message larger than Artery's maximum frame size
   */
  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    Class<?> type = typeOf(manifest);
    if (bytes.length > maxMessageBytes && isKeelMessage(type)) {
      throw new NotSerializableException(
          "Keel's Kryo serializer refuses a "
              + type.getName()
              + " of "
              + bytes.length
              + " bytes: larger than "
              + MAXIMUM_FRAME_SIZE
              + " = "
              + maxMessageBytes
              + " bytes of this node");
    }
    KryoCodec codec = pool.obtain();
    try {
      return codec.decode(bytes, type);
    } catch (RuntimeException e) {
      NotSerializableException failure =
          new NotSerializableException(
              "Keel's Kryo serializer cannot read a "
                  + type.getName()
                  + " (manifest "
                  + manifest
                  + ") from "
                  + bytes.length
                  + " bytes: "
                  + e.getMessage());
      failure.initCause(e);
      throw failure;
    } finally {
      pool.free(codec);
    }
  }

  // The messages peers and clients send: never nested in a journal, so a size limit cannot make
  // stored data unreadable.
  private static boolean isKeelMessage(Class<?> type) {
    return RaftPeer.Command.class.isAssignableFrom(type)
        || RaftReply.class.isAssignableFrom(type)
        || PeerStatus.class.isAssignableFrom(type);
  }

  private Class<?> typeOf(String manifest) throws NotSerializableException {
    Class<?> type = null;
    try {
      type = types.get(Integer.parseInt(manifest));
    } catch (NumberFormatException e) {
      // reported below
    }
    if (type == null) {
      throw new NotSerializableException(
          "Keel's Kryo serializer has no registration with id '"
              + manifest
              + "': the sender registers a class this node does not; "
              + UserRegistrations.PATH
              + " and the Keel version must be the same on every node");
    }
    return type;
  }
}
