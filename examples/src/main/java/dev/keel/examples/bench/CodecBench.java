package dev.keel.examples.bench;

import com.typesafe.config.ConfigFactory;
import dev.keel.raft.persistence.EntryPayload;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.protocol.RaftMessage;
import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * The codec scenario: encode + decode of an AppendEntries with 64 entries of 32-byte commands by
 * the serializer Pekko binds to it (Keel's Kryo serializer), on one thread: a warm-up of half the
 * time, then a timed loop.
 */
final class CodecBench {

  private static final int ENTRIES = 64;
  private static final int ENTRY_BYTES = 32;

  private CodecBench() {}

  static String run(long seconds) throws Exception {
    ActorSystem system = ActorSystem.create("codec-bench", ConfigFactory.load());
    try {
      SerializerWithStringManifest serializer =
          (SerializerWithStringManifest)
              SerializationExtension.get(system).serializerFor(RaftMessage.AppendEntries.class);
      RaftMessage.AppendEntries message = sample();
      String manifest = serializer.manifest(message);
      loop(serializer, message, manifest, TimeUnit.SECONDS.toNanos(seconds) / 2);
      long start = System.nanoTime();
      long[] result = loop(serializer, message, manifest, TimeUnit.SECONDS.toNanos(seconds));
      double elapsed = (System.nanoTime() - start) / 1e9;
      return new JsonLine()
          .add("impl", "keel")
          .add("scenario", "codec")
          .add("message", "AppendEntries")
          .add("entries", ENTRIES)
          .add("entry_bytes", ENTRY_BYTES)
          .add("ops_per_s", result[0] / elapsed, 0)
          .add("ns_per_op", elapsed * 1e9 / result[0], 0)
          .add("bytes", result[1])
          .add("measure_s", seconds)
          .add("host_cpus", Runtime.getRuntime().availableProcessors())
          .add("load_avg_1m", HostLoad.loadAverage(), 2)
          .toString();
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static RaftMessage.AppendEntries sample() {
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 0; i < ENTRIES; i++) {
      byte[] command = BytesKvStateMachine.command(i, ENTRY_BYTES);
      entries.add(new LogEntry(1001 + i, 7, new EntryPayload.UserCommand(4, "", command)));
    }
    return new RaftMessage.AppendEntries(7, "n1", 1000, 7, entries, 1000, 42);
  }

  /** Encodes and decodes until {@code nanos} passed; returns {operations, bytes per message}. */
  private static long[] loop(
      SerializerWithStringManifest serializer,
      RaftMessage.AppendEntries message,
      String manifest,
      long nanos)
      throws NotSerializableException {
    long deadline = System.nanoTime() + nanos;
    long operations = 0;
    int size = 0;
    long checksum = 0;
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < 1000; i++) {
        byte[] bytes = serializer.toBinary(message);
        RaftMessage.AppendEntries copy =
            (RaftMessage.AppendEntries) serializer.fromBinary(bytes, manifest);
        size = bytes.length;
        checksum += copy.entries().size();
      }
      operations += 1000;
    }
    if (checksum != operations * ENTRIES) {
      throw new IllegalStateException("decoded entries do not match");
    }
    return new long[] {operations, size};
  }
}
