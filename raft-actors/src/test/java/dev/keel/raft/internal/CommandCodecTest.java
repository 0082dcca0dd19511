package dev.keel.raft.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.keel.raft.persistence.EntryPayload;
import java.io.NotSerializableException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.event.Logging;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Commands are serialized once at the leader; what cannot be written or read back is refused. */
class CommandCodecTest {

  /** No serializer is bound to it. */
  record Unbound(String text) {}

  /** Only Java serialization (off) would take it. */
  record JavaOnly(String text) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** Bound to a serializer that writes it but cannot read it back. */
  record WriteOnly(String text) {}

  /** Bound to a serializer that cannot write this instance. */
  record Refused(String text) {}

  /** Bound to a serializer that works, with a manifest. */
  record Greeting(String text) {}

  /** The test serializer: writes every class above, reads only greetings. */
  public static final class TestSerializer extends SerializerWithStringManifest {
    @Override
    public int identifier() {
      return 9_417;
    }

    @Override
    public String manifest(Object o) {
      return o.getClass().getSimpleName();
    }

    @Override
    public byte[] toBinary(Object o) {
      if (o instanceof Refused refused) {
        throw new IllegalArgumentException("cannot write " + refused.text());
      }
      return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
      if (manifest.equals("Greeting")) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        return new Greeting(text.substring("Greeting[text=".length(), text.length() - 1));
      }
      throw new NotSerializableException("no reader for " + manifest);
    }
  }

  private static ActorTestKit kit;

  @BeforeAll
  static void start() {
    String prefix = CommandCodecTest.class.getName() + "$";
    kit =
        ActorTestKit.create(
            ConfigFactory.parseString(
                    "pekko.actor.serializers.codec-test = \""
                        + TestSerializer.class.getName()
                        + "\"\npekko.actor.serialization-bindings {\n"
                        + "\""
                        + prefix
                        + "WriteOnly\" = codec-test\n\""
                        + prefix
                        + "Refused\" = codec-test\n\""
                        + prefix
                        + "Greeting\" = codec-test\n}\n"
                        + "pekko.actor.warn-about-java-serializer-usage = on")
                .withFallback(ConfigFactory.load()));
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void aStringTravelsAsThePekkoStringSerializerWroteIt() throws Exception {
    CommandCodec codec = new CommandCodec(kit.system());
    EntryPayload.UserCommand encoded = codec.encode("héllo");
    assertThat(encoded.serializerId()).isEqualTo(20);
    assertThat(encoded.manifest()).isEmpty();
    assertThat(encoded.bytes()).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
    assertThat(codec.decode(encoded)).isEqualTo("héllo");
  }

  @Test
  void aBoundCommandRoundTripsWithItsManifest() throws Exception {
    CommandCodec codec = new CommandCodec(kit.system());
    EntryPayload.UserCommand encoded = codec.encode(new Greeting("hi"));
    assertThat(encoded.serializerId()).isEqualTo(9_417);
    assertThat(encoded.manifest()).isEqualTo("Greeting");
    assertThat(codec.decode(encoded)).isEqualTo(new Greeting("hi"));
    assertThat(codec.encode(new Greeting("again")))
        .as("the class's serializer is remembered")
        .isNotNull();
  }

  @Test
  void aCommandWithoutASerializerIsRefusedNamingItsClassAndTheFix() {
    CommandCodec codec = new CommandCodec(kit.system());
    assertThatThrownBy(() -> codec.encode(new Unbound("x")))
        .isInstanceOf(CommandCodec.UnserializableCommandException.class)
        .hasMessageContaining(Unbound.class.getName())
        .hasMessageContaining("no serializer is bound")
        .hasMessageContaining("pekko.actor.serialization-bindings")
        .hasMessageContaining("keel.serialization.kryo.registrations");
    assertThatThrownBy(() -> codec.encode(new Unbound("again")))
        .as("refused every time")
        .isInstanceOf(CommandCodec.UnserializableCommandException.class);
  }

  @Test
  void aSerializableCommandIsRefusedWithoutPekkoWarningAboutJavaSerialization() {
    TestProbe<Logging.Warning> warnings = kit.createTestProbe();
    kit.system()
        .eventStream()
        .tell(new EventStream.Subscribe<>(Logging.Warning.class, warnings.ref()));
    CommandCodec codec = new CommandCodec(kit.system());
    assertThatThrownBy(() -> codec.encode(new JavaOnly("x")))
        .isInstanceOf(CommandCodec.UnserializableCommandException.class)
        .hasMessageContaining(JavaOnly.class.getName())
        .hasMessageContaining("Java serialization is off");
    warnings.expectNoMessage(java.time.Duration.ofMillis(300));
  }

  @Test
  void aCommandItsSerializerCannotWriteIsRefused() {
    CommandCodec codec = new CommandCodec(kit.system());
    assertThatThrownBy(() -> codec.encode(new Refused("this one")))
        .isInstanceOf(CommandCodec.UnserializableCommandException.class)
        .hasMessageContaining(Refused.class.getName())
        .hasMessageContaining("cannot write this one");
  }

  @Test
  void aCommandItsSerializerCannotReadBackIsRefused() {
    CommandCodec codec = new CommandCodec(kit.system());
    assertThatThrownBy(() -> codec.encode(new WriteOnly("x")))
        .isInstanceOf(CommandCodec.UnserializableCommandException.class)
        .hasMessageContaining(WriteOnly.class.getName())
        .hasMessageContaining("cannot read it back")
        .hasMessageContaining("no reader for WriteOnly");
  }

  @Test
  void bytesNoSerializerHereKnowsFailToDecodeNamingTheSerializer() {
    CommandCodec codec = new CommandCodec(kit.system());
    assertThatThrownBy(
            () -> codec.decode(new EntryPayload.UserCommand(987_654, "m", new byte[] {1, 2})))
        .isInstanceOf(NotSerializableException.class)
        .hasMessageContaining("serializer 987654")
        .hasMessageContaining("manifest 'm'")
        .hasMessageContaining("2 bytes");
  }
}
