package dev.keel.raft.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.esotericsoftware.kryo.io.Output;
import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftReply;
import dev.keel.raft.protocol.RaftMessage;
import java.io.NotSerializableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Frames that are truncated, corrupted or hostile fail with a {@link NotSerializableException} that
 * says what is wrong: never another exception, an out-of-memory error, a stack overflow or a hang,
 * and never a class the frame names.
 */
class MalformedFrameTest {

  // Registration ids as written on the wire (Kryo writes id + 2; 0 is null, 1 a class name).
  private static final int ARRAY_LIST = 120 + 2;
  private static final int HASH_MAP = 122 + 2;
  private static final int BYTE_ARRAY = 109 + 2;
  private static final int CLASS_NAME = 1;

  private static SerializationTestKit kit;
  private static KeelKryoSerializer serializer;

  @BeforeAll
  static void start() {
    kit = new SerializationTestKit("MalformedFrameTest");
    serializer = kit.serializer();
  }

  @AfterAll
  static void stop() {
    kit.shutdown();
  }

  @ParameterizedTest
  @ValueSource(strings = {"99999", "999", "-1", "abc", "", "dev.keel.raft.RaftReply$Ok"})
  void anUnknownManifestFailsClearly(String manifest) {
    assertThatThrownBy(() -> serializer.fromBinary(new byte[] {1, 2, 3}, manifest))
        .isInstanceOf(NotSerializableException.class)
        .hasMessageContaining("no registration with id '" + manifest + "'")
        .hasMessageContaining("keel.serialization.kryo.registrations");
  }

  @Test
  void aHugeEntryCountFailsBeforeAllocating() {
    byte[] frame = frame(out -> appendEntriesHeader(out, Integer.MAX_VALUE));

    assertMalformed(frame, "208", "entries count of 2147483647 cannot fit in the 0 bytes left");
  }

  @Test
  void aHugeStringLengthFailsBeforeAllocating() {
    byte[] frame = frame(out -> out.writeVarInt(Integer.MAX_VALUE, true));

    assertMalformed(frame, "313", "string of 2147483646 bytes cannot fit");
  }

  @Test
  void aHugeByteArrayFailsBeforeAllocating() {
    assertMalformed(okWith(BYTE_ARRAY, Integer.MAX_VALUE), "310", "byte array length of");
  }

  @Test
  void aHugeCollectionFailsBeforeAllocating() {
    assertMalformed(okWith(ARRAY_LIST, Integer.MAX_VALUE - 1), "310", "collection size of");
    assertMalformed(okWith(HASH_MAP, 1 << 30), "310", "map size of");
  }

  @Test
  void deepNestingFailsWithoutOverflowingTheStack() {
    byte[] frame =
        frame(
            out -> {
              out.writeVarLong(1, false);
              for (int i = 0; i < 100_000; i++) {
                out.writeVarInt(ARRAY_LIST, true);
                out.writeVarInt(1, true);
              }
              out.writeVarInt(0, true);
            });

    assertMalformed(frame, "310", "Max depth exceeded");
  }

  @Test
  void aClassNameOnTheWireIsRefused() {
    byte[] name = "java.lang.ProcessBuilder".getBytes(StandardCharsets.US_ASCII);
    name[name.length - 1] |= (byte) 0x80;
    byte[] frame =
        frame(
            out -> {
              out.writeVarLong(1, false);
              out.writeVarInt(CLASS_NAME, true);
              out.writeVarInt(0, true);
              out.writeBytes(name);
            });

    assertMalformed(frame, "310", "never loads classes named on the wire");
  }

  @Test
  void anUnregisteredClassIdIsRefused() {
    assertMalformed(okWith(999 + 2, 0), "310", "unregistered class ID: 999");
  }

  @Test
  void aLogEntryWithAnUnknownPayloadTagIsRefused() {
    assertMalformed(oneEntryFrame(1, 7), "208", "unknown payload tag 7");
  }

  @Test
  void anInvalidLogEntryIsRefused() {
    assertMalformed(oneEntryFrame(0, 0), "208", "index must be >= 1, was 0");
  }

  /** An AppendEntries (term 1 from n1, previous entry 0/0) up to its entry count. */
  private static void appendEntriesHeader(Output out, int entryCount) {
    out.writeVarLong(1, true);
    writeString(out, "n1");
    out.writeVarLong(0, true);
    out.writeVarLong(0, true);
    out.writeVarInt(entryCount, true);
  }

  /** An AppendEntries with one entry of term 1 at {@code index} with payload tag {@code tag}. */
  private static byte[] oneEntryFrame(long index, int tag) {
    return frame(
        out -> {
          appendEntriesHeader(out, 1);
          out.writeVarLong(index, true);
          out.writeVarLong(1, true);
          out.writeByte(tag);
          out.writeVarLong(0, true);
          out.writeVarLong(0, true);
        });
  }

  @Test
  void bytesLeftOverAfterTheMessageAreRefused() {
    byte[] valid = serializer.toBinary(new RaftMessage.RequestVote(1, "n1", 0, 0, false, 1));
    byte[] longer = Arrays.copyOf(valid, valid.length + 1);

    assertMalformed(longer, "206", "1 bytes left over after the message");
  }

  @Test
  void everyTruncationOfEveryMessageFails() {
    for (Object message : everyMessage()) {
      byte[] bytes = serializer.toBinary(message);
      String manifest = serializer.manifest(message);
      for (int length = 0; length < bytes.length; length++) {
        byte[] truncated = Arrays.copyOf(bytes, length);
        assertThat(catchThrowable(() -> serializer.fromBinary(truncated, manifest)))
            .as(
                "%s cut to %s of %s bytes",
                message.getClass().getSimpleName(), length, bytes.length)
            .isInstanceOf(NotSerializableException.class);
      }
    }
  }

  @Test
  void corruptedFramesDecodeOrFailCleanly() {
    List<Object> messages = everyMessage();
    SplittableRandom random = new SplittableRandom(7400);
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          for (int i = 0; i < 30_000; i++) {
            Object message = messages.get(random.nextInt(messages.size()));
            byte[] bytes = serializer.toBinary(message);
            if (bytes.length == 0) {
              continue;
            }
            int flips = 1 + random.nextInt(3);
            for (int f = 0; f < flips; f++) {
              bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            Throwable failure =
                catchThrowable(() -> serializer.fromBinary(bytes, serializer.manifest(message)));
            if (failure != null) {
              assertThat(failure).isInstanceOf(NotSerializableException.class);
            }
          }
        });
  }

  @Test
  void randomBytesUnderEveryManifestDecodeOrFailCleanly() {
    SplittableRandom random = new SplittableRandom(42);
    List<String> manifests = everyMessage().stream().map(serializer::manifest).distinct().toList();
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          for (int i = 0; i < 30_000; i++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            String manifest = manifests.get(random.nextInt(manifests.size()));
            Throwable failure = catchThrowable(() -> serializer.fromBinary(bytes, manifest));
            if (failure != null) {
              assertThat(failure).isInstanceOf(NotSerializableException.class);
            }
          }
        });
  }

  private static List<Object> everyMessage() {
    TestProbe<RaftReply<Object>> replies = kit.testKit.createTestProbe();
    TestProbe<PeerStatus> statuses = kit.testKit.createTestProbe();
    List<Object> all = new ArrayList<>(Samples.protocol());
    all.addAll(
        Samples.clientRequests(
            replies.ref(),
            statuses.ref(),
            kit.testKit.<RaftReply<Long>>createTestProbe().ref(),
            kit.testKit.<Done>createTestProbe().ref()));
    all.addAll(Samples.replies(kit.testKit.spawn(Behaviors.ignore())));
    all.addAll(Samples.statuses());
    return all;
  }

  private static void assertMalformed(byte[] frame, String manifest, String expected) {
    assertThatThrownBy(() -> serializer.fromBinary(frame, manifest))
        .isInstanceOf(NotSerializableException.class)
        .hasMessageContaining("Keel's Kryo serializer cannot read")
        .hasMessageContaining(expected);
  }

  /** A {@code RaftReply.Ok} frame: index 1, then a result of class {@code wireId} and a count. */
  private static byte[] okWith(int wireId, int count) {
    return frame(
        out -> {
          out.writeVarLong(1, false);
          out.writeVarInt(wireId, true);
          out.writeVarInt(count, true);
        });
  }

  private static void writeString(Output out, String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    out.writeVarInt(utf8.length + 1, true);
    out.writeBytes(utf8);
  }

  private static byte[] frame(Consumer<Output> writer) {
    Output out = new Output(256, -1);
    writer.accept(out);
    return out.toBytes();
  }
}
