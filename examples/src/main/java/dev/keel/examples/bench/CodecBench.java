package dev.keel.examples.bench;

import com.typesafe.config.ConfigFactory;
import dev.keel.raft.persistence.EntryPayload;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.protocol.RaftMessage;
import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The codec scenario (JMH): encode + decode of an AppendEntries with 64 entries of 32-byte commands
 * by the serializer Pekko binds to it (Keel's Kryo serializer), one thread, throughput mode, one
 * fork. {@link #run} prints one JSON line with the score.
 */
@State(Scope.Thread)
public class CodecBench {

  private static final int ENTRIES = 64;
  private static final int ENTRY_BYTES = 32;

  private @Nullable ActorSystem system;
  private @Nullable SerializerWithStringManifest serializer;
  private @Nullable String manifest;
  private final RaftMessage.AppendEntries message = sample();

  /** Starts an actor system for its serializer. */
  @Setup(Level.Trial)
  public void start() {
    ActorSystem started = ActorSystem.create("codec-bench", ConfigFactory.load());
    system = started;
    try {
      SerializerWithStringManifest bound =
          (SerializerWithStringManifest)
              SerializationExtension.get(started).serializerFor(RaftMessage.AppendEntries.class);
      serializer = bound;
      manifest = bound.manifest(message);
    } catch (NotSerializableException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Stops the actor system. */
  @TearDown(Level.Trial)
  public void stop() throws Exception {
    if (system != null) {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * One encode and one decode.
   *
   * @return the decoded message's entry count (so the work is not dropped)
   * @throws NotSerializableException never for this message
   */
  @Benchmark
  public int encodeAndDecode() throws NotSerializableException {
    SerializerWithStringManifest codec = Objects.requireNonNull(serializer);
    byte[] bytes = codec.toBinary(message);
    return ((RaftMessage.AppendEntries) codec.fromBinary(bytes, Objects.requireNonNull(manifest)))
        .entries()
        .size();
  }

  /** Runs the benchmark under JMH for about {@code seconds} and returns the JSON line. */
  static String run(long seconds) throws RunnerException {
    int iterations = (int) Math.max(1, seconds / 2);
    Collection<RunResult> results =
        new Runner(
                new OptionsBuilder()
                    .include(CodecBench.class.getName() + ".encodeAndDecode")
                    .forks(1)
                    .warmupIterations(Math.max(1, iterations / 2))
                    .warmupTime(TimeValue.seconds(1))
                    .measurementIterations(iterations)
                    .measurementTime(TimeValue.seconds(seconds >= 2 ? 2 : 1))
                    .threads(1)
                    .shouldFailOnError(true)
                    .build())
            .run();
    RunResult result = results.iterator().next();
    double perSecond = result.getPrimaryResult().getScore();
    return new JsonLine()
        .add("impl", "keel")
        .add("scenario", "codec")
        .add("message", "AppendEntries")
        .add("entries", ENTRIES)
        .add("entry_bytes", ENTRY_BYTES)
        .add("ops_per_s", perSecond, 0)
        .add("ns_per_op", 1e9 / perSecond, 0)
        .add("score_error", result.getPrimaryResult().getScoreError(), 0)
        .add("bytes", encodedSize())
        .add("tool", "jmh-1.37")
        .add("host_cpus", Runtime.getRuntime().availableProcessors())
        .add("load_avg_1m", HostLoad.loadAverage(), 2)
        .toString();
  }

  private static int encodedSize() {
    CodecBench bench = new CodecBench();
    bench.start();
    try {
      return Objects.requireNonNull(bench.serializer).toBinary(bench.message).length;
    } finally {
      try {
        bench.stop();
      } catch (Exception e) {
        // a codec actor system that does not stop in time does not change the size
      }
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
}
