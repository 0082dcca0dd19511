package dev.keel.raft.remote;

import dev.keel.raft.serialization.KeelKryoSerializer;
import java.io.NotSerializableException;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.JSerializer;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.jspecify.annotations.Nullable;

/**
 * Serializers of a hostile but authenticated peer: they put the bytes and manifests it chose on the
 * wire under Keel's serializer id (7400) and under Java serialization's (1), so a test can send
 * frames no honest node would.
 */
final class HostileSerializers {

  private HostileSerializers() {}

  /** Sent under serializer id 7400 with exactly this manifest and these bytes. */
  @SuppressWarnings("ArrayRecordComponent") // sent once as given, never compared
  record KeelFrame(String manifest, byte[] bytes) {}

  /** Sent under serializer id 1 (Java serialization) with these bytes. */
  @SuppressWarnings("ArrayRecordComponent") // sent once as given, never compared
  record JavaFrame(byte[] bytes) {}

  /** Replaces {@code keel-kryo}: writes {@link KeelFrame}s as given, anything else as Keel does. */
  static final class Keel extends SerializerWithStringManifest {
    private final KeelKryoSerializer keel;

    Keel(ExtendedActorSystem system) {
      this.keel = new KeelKryoSerializer(system);
    }

    @Override
    public int identifier() {
      return KeelKryoSerializer.IDENTIFIER;
    }

    @Override
    public String manifest(Object o) {
      return o instanceof KeelFrame frame ? frame.manifest() : keel.manifest(o);
    }

    @Override
    public byte[] toBinary(Object o) {
      return o instanceof KeelFrame frame ? frame.bytes() : keel.toBinary(o);
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
      return keel.fromBinary(bytes, manifest);
    }
  }

  /** Replaces {@code java}: writes {@link JavaFrame}s as given. */
  static final class Java extends JSerializer {
    Java(ExtendedActorSystem system) {}

    @Override
    public int identifier() {
      return 1;
    }

    @Override
    public boolean includeManifest() {
      return false;
    }

    @Override
    public byte[] toBinary(Object o) {
      return ((JavaFrame) o).bytes();
    }

    @Override
    public Object fromBinaryJava(byte[] bytes, @Nullable Class<?> manifest) {
      throw new UnsupportedOperationException("a hostile peer only sends");
    }
  }
}
