package dev.keel.raft.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * One Kryo instance with its output buffer and input: what a thread borrows from the pool for one
 * message. Not thread-safe.
 */
final class KryoCodec {

  /** Initial size of the output buffer; it grows as messages need. */
  static final int INITIAL_BUFFER_BYTES = 4096;

  /** A buffer that grew beyond this is dropped after use, so the pool does not hold on to it. */
  static final int RETAINED_BUFFER_BYTES = 1 << 20;

  private static final byte[] NO_BYTES = new byte[0];

  private final Kryo kryo;
  private final Output output = new Output(INITIAL_BUFFER_BYTES, -1);
  private final Input input = new Input(NO_BYTES);

  KryoCodec(Kryo kryo) {
    this.kryo = kryo;
  }

  /** The message's bytes, without its class (the manifest carries the registration id). */
  byte[] encode(Object message) {
    output.reset();
    try {
      kryo.writeObject(output, message);
      return output.toBytes();
    } finally {
      if (output.getBuffer().length > RETAINED_BUFFER_BYTES) {
        output.setBuffer(new byte[INITIAL_BUFFER_BYTES], -1);
      }
    }
  }

  /**
   * The message of class {@code type} in {@code bytes}, which it must fill exactly.
   *
   * @throws KryoException or another runtime exception if the bytes are malformed
   */
  <T> T decode(byte[] bytes, Class<T> type) {
    input.setBuffer(bytes);
    try {
      T message = kryo.readObject(input, type);
      if (input.position() != bytes.length) {
        throw new KryoException(
            "Malformed frame: "
                + (bytes.length - input.position())
                + " bytes left over after the message");
      }
      return message;
    } finally {
      input.setBuffer(NO_BYTES);
    }
  }
}
