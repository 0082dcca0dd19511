package dev.keel.raft.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ImmutableSerializer;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Serializers for the JDK value types Keel registers, with lengths checked on read. */
final class JdkSerializers {

  private JdkSerializers() {}

  /**
   * Replaces Kryo's own string serializer, whose reader allocates whatever length a frame claims.
   * Format: see {@link Wire#writeString}.
   */
  static final class StringSerializer extends ImmutableSerializer<String> {
    StringSerializer() {
      setAcceptsNull(true);
    }

    @Override
    public void write(Kryo kryo, Output output, @Nullable String value) {
      Wire.writeString(output, value);
    }

    @Override
    public @Nullable String read(Kryo kryo, Input input, Class<? extends String> type) {
      return Wire.readNullableString(input);
    }
  }

  /** {@code byte[]}: {@code varint(length)} then the bytes. */
  static final class ByteArraySerializer extends ImmutableSerializer<byte[]> {
    @Override
    public void write(Kryo kryo, Output output, byte[] value) {
      output.writeVarInt(value.length, true);
      output.writeBytes(value);
    }

    @Override
    public byte[] read(Kryo kryo, Input input, Class<? extends byte[]> type) {
      int length = Wire.readCount(input, 1, "byte array length");
      return input.readBytes(length);
    }
  }

  /** {@link Optional}: the value with its class, or the null marker when empty. */
  static final class OptionalSerializer extends ImmutableSerializer<Optional<?>> {
    @Override
    public void write(Kryo kryo, Output output, Optional<?> value) {
      kryo.writeClassAndObject(output, value.orElse(null));
    }

    @Override
    public Optional<?> read(Kryo kryo, Input input, Class<? extends Optional<?>> type) {
      return Optional.ofNullable(kryo.readClassAndObject(input));
    }
  }

  /** {@link UUID}: its two halves, eight bytes each. */
  static final class UuidSerializer extends ImmutableSerializer<UUID> {
    @Override
    public void write(Kryo kryo, Output output, UUID value) {
      output.writeLong(value.getMostSignificantBits());
      output.writeLong(value.getLeastSignificantBits());
    }

    @Override
    public UUID read(Kryo kryo, Input input, Class<? extends UUID> type) {
      return new UUID(input.readLong(), input.readLong());
    }
  }
}
