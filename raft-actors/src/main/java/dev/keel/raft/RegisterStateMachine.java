package dev.keel.raft;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The simplest state machine: one value, last write wins. A write replaces the value and returns
 * the previous one; any query returns the current value.
 *
 * @param <V> value type; immutable
 */
public final class RegisterStateMachine<V>
    implements StateMachine<V, RegisterStateMachine.Get, Optional<V>> {

  /** The query: read the current value. */
  public enum Get {
    VALUE
  }

  private final Function<V, byte[]> encoder;
  private final Function<byte[], V> decoder;
  private @Nullable V value;

  /**
   * A register whose snapshots encode values with the given functions.
   *
   * @param encoder turns a value into bytes for snapshots
   * @param decoder the inverse of {@code encoder}
   */
  public RegisterStateMachine(Function<V, byte[]> encoder, Function<byte[], V> decoder) {
    this.encoder = encoder;
    this.decoder = decoder;
  }

  /** A register of strings, snapshotted as UTF-8. */
  public static RegisterStateMachine<String> ofStrings() {
    return new RegisterStateMachine<>(
        s -> s.getBytes(StandardCharsets.UTF_8), b -> new String(b, StandardCharsets.UTF_8));
  }

  @Override
  public Optional<V> apply(V command) {
    Optional<V> previous = Optional.ofNullable(value);
    value = command;
    return previous;
  }

  @Override
  public Optional<V> query(Get query) {
    return Optional.ofNullable(value);
  }

  @Override
  public void snapshot(OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    V current = value;
    data.writeBoolean(current != null);
    if (current != null) {
      byte[] bytes = encoder.apply(current);
      data.writeInt(bytes.length);
      data.write(bytes);
    }
    data.flush();
  }

  @Override
  public void restore(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    if (data.readBoolean()) {
      byte[] bytes = new byte[data.readInt()];
      data.readFully(bytes);
      value = decoder.apply(bytes);
    } else {
      value = null;
    }
  }
}
