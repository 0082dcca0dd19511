package dev.keel.raft.persistence.journal;

import java.nio.charset.StandardCharsets;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * A user command type with its own serializer, bound in the serializer test's configuration: shows
 * that commands inside journal events go through whatever serializer the application binds.
 *
 * @param text the greeting
 */
record Greeting(String text) {

  /** The application's serializer for {@link Greeting}. */
  public static final class Serializer extends SerializerWithStringManifest {
    static final int IDENTIFIER = 7499;

    @Override
    public int identifier() {
      return IDENTIFIER;
    }

    @Override
    public String manifest(Object o) {
      return "greeting-v1";
    }

    @Override
    public byte[] toBinary(Object o) {
      return ((Greeting) o).text().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) {
      if (!manifest.equals("greeting-v1")) {
        throw new IllegalArgumentException("unknown manifest " + manifest);
      }
      return new Greeting(new String(bytes, StandardCharsets.UTF_8));
    }
  }
}
