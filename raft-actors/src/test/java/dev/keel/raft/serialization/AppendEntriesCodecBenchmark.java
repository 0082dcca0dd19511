package dev.keel.raft.serialization;

import com.typesafe.config.ConfigFactory;
import dev.keel.raft.protocol.RaftMessage;
import java.io.NotSerializableException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.serialization.SerializationExtension;

/**
 * Codec throughput for the hot message: an AppendEntries with 64 entries of 32-byte commands,
 * encoded and decoded by Keel's serializer on one thread (a warm-up, then a timed loop). Prints one
 * JSON line. Not a test; run it from the repository root with the test classpath:
 *
 * <pre>{@code
 * mvn -B -q test-compile dependency:build-classpath -pl raft-actors -am \
 *   -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -cp "$(cat raft-actors/target/test-classpath.txt):raft-actors/target/classes:raft-actors/target/test-classes" \
 *   dev.keel.raft.serialization.AppendEntriesCodecBenchmark [seconds]
 * }</pre>
 */
public final class AppendEntriesCodecBenchmark {

  private static final int ENTRIES = 64;
  private static final int ENTRY_BYTES = 32;

  private AppendEntriesCodecBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args optionally the measured seconds (default 10; the warm-up takes half as long)
   */
  public static void main(String[] args) throws Exception {
    long measuredSeconds = args.length > 0 ? Long.parseLong(args[0]) : 10;
    ActorSystem system = ActorSystem.create("codec-benchmark", ConfigFactory.load());
    try {
      KeelKryoSerializer serializer =
          (KeelKryoSerializer)
              SerializationExtension.get(system)
                  .serializerByIdentity()
                  .apply(KeelKryoSerializer.IDENTIFIER);
      RaftMessage.AppendEntries message = Samples.appendEntries(ENTRIES, ENTRY_BYTES);
      String manifest = serializer.manifest(message);
      run(serializer, message, manifest, TimeUnit.SECONDS.toNanos(measuredSeconds) / 2);
      long start = System.nanoTime();
      long[] result = run(serializer, message, manifest, TimeUnit.SECONDS.toNanos(measuredSeconds));
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "{\"bench\":\"kryo-append-entries\",\"entries\":%d,\"entry_bytes\":%d,"
              + "\"ops_per_s\":%.0f,\"bytes\":%d,\"ns_per_op\":%.0f}%n",
          ENTRIES,
          ENTRY_BYTES,
          result[0] / seconds,
          result[1],
          seconds * 1e9 / result[0]);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** Encodes and decodes until {@code nanos} passed; returns {operations, bytes per message}. */
  private static long[] run(
      KeelKryoSerializer serializer, RaftMessage.AppendEntries message, String manifest, long nanos)
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
      throw new AssertionError("decoded the wrong number of entries");
    }
    return new long[] {operations, size};
  }
}
