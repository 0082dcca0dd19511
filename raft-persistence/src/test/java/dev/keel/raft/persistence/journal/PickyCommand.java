package dev.keel.raft.persistence.journal;

import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * A user command type whose bound serializer cannot write every instance: it throws for the ones
 * that are not {@code writable}, as a serializer does when a command holds something it does not
 * support.
 *
 * @param writable whether the serializer can write this command
 */
record PickyCommand(boolean writable) {

  /** The serializer bound to {@link PickyCommand} in the tests that use it. */
  public static final class Serializer extends SerializerWithStringManifest {
    static final int IDENTIFIER = 7498;

    @Override
    public int identifier() {
      return IDENTIFIER;
    }

    @Override
    public String manifest(Object o) {
      return "picky-v1";
    }

    @Override
    public byte[] toBinary(Object o) {
      if (!((PickyCommand) o).writable()) {
        throw new IllegalStateException(
            "this PickyCommand holds nothing this serializer can write");
      }
      return new byte[] {1};
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) {
      return new PickyCommand(true);
    }
  }
}
