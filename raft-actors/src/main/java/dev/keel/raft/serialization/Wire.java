package dev.keel.raft.serialization;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Reading lengths from the wire without trusting them. Every count or length a frame announces is
 * checked against the bytes actually left in it before anything is allocated, so a malformed or
 * hostile frame fails with a {@link KryoException} instead of an {@link OutOfMemoryError}.
 */
final class Wire {

  private Wire() {}

  /** Bytes left in a frame read from a byte array. */
  static int remaining(Input input) {
    return input.limit() - input.position();
  }

  /**
   * Reads a count of elements that each take at least {@code minBytesPerElement} bytes.
   *
   * @param what names the count in the error message
   * @throws KryoException if the frame cannot hold that many elements
   */
  static int readCount(Input input, int minBytesPerElement, String what) {
    int count = input.readVarInt(true);
    int remaining = remaining(input);
    if (count < 0 || (long) count * minBytesPerElement > remaining) {
      throw new KryoException(
          "Malformed frame: "
              + what
              + " of "
              + Integer.toUnsignedString(count)
              + " cannot fit in the "
              + remaining
              + " bytes left");
    }
    return count;
  }

  /**
   * Writes a string as {@code varint(utf8Length + 1)} followed by its UTF-8 bytes; {@code 0} stands
   * for null.
   */
  static void writeString(Output output, @Nullable String value) {
    if (value == null) {
      output.writeVarInt(0, true);
      return;
    }
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    output.writeVarInt(utf8.length + 1, true);
    output.writeBytes(utf8);
  }

  /** Reads what {@link #writeString} wrote; null if null was written. */
  static @Nullable String readNullableString(Input input) {
    int lengthPlusOne = input.readVarInt(true);
    if (lengthPlusOne == 0) {
      return null;
    }
    int length = lengthPlusOne - 1;
    int remaining = remaining(input);
    if (length < 0 || length > remaining) {
      throw new KryoException(
          "Malformed frame: string of "
              + Integer.toUnsignedString(length)
              + " bytes cannot fit in the "
              + remaining
              + " bytes left");
    }
    int start = input.position();
    String value = new String(input.getBuffer(), start, length, StandardCharsets.UTF_8);
    input.setPosition(start + length);
    return value;
  }

  /** Reads a string that must not be null. */
  static String readString(Input input, String what) {
    String value = readNullableString(input);
    if (value == null) {
      throw new KryoException("Malformed frame: " + what + " is null");
    }
    return value;
  }
}
