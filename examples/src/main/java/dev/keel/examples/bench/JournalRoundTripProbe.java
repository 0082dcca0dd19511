package dev.keel.examples.bench;

import dev.keel.raft.persistence.EntryPayload;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.TermAndVote;
import dev.keel.raft.persistence.journal.JournaledRaftStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * What the journal path costs on top of the disk: alternately, one synced RocksDB write made
 * directly by the calling thread and one {@code JournaledRaftStorage.appendEntries} of the same
 * number of entries waited for, each on its own fresh RocksDB in the same temporary directory
 * (deleted afterwards). Prints one JSON line per kind with mean and percentiles in microseconds.
 *
 * <p>Arguments: rounds (default 3000), entries per write (default 1).
 */
public final class JournalRoundTripProbe {

  private JournalRoundTripProbe() {}

  /**
   * Runs the probe.
   *
   * @param args optional rounds and entries per write
   * @throws Exception if the actor system or the storage fails
   */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    int entries = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    Path root = Files.createTempDirectory("keel-probe-");
    RocksDB.loadLibrary();
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "probe");
    try (Options options = new Options().setCreateIfMissing(true);
        RocksDB db = RocksDB.open(options, root.resolve("raw").toString());
        WriteOptions sync = new WriteOptions().setSync(true)) {
      JournaledRaftStorage storage =
          JournaledRaftStorage.builder(system, "probe", "n1").rocksDb(root.resolve("j")).build();
      storage.recover().toCompletableFuture().get(30, TimeUnit.SECONDS);
      storage.saveTermAndVote(new TermAndVote(1, null)).toCompletableFuture().get();
      long[] raw = new long[rounds];
      long[] journaled = new long[rounds];
      for (int r = 0; r < rounds; r++) {
        long start = System.nanoTime();
        try (WriteBatch batch = new WriteBatch()) {
          for (int i = 0; i < entries; i++) {
            batch.put(("k" + r + "-" + i).getBytes(StandardCharsets.UTF_8), new byte[100]);
          }
          db.write(sync, batch);
        }
        raw[r] = System.nanoTime() - start;
        List<LogEntry> append = new ArrayList<>();
        for (int i = 1; i <= entries; i++) {
          long index = (long) r * entries + i;
          append.add(new LogEntry(index, 1, new EntryPayload.UserCommand(4, "", new byte[32])));
        }
        start = System.nanoTime();
        storage.appendEntries(append).toCompletableFuture().get();
        journaled[r] = System.nanoTime() - start;
      }
      System.out.println(line("raw-rocksdb-synced-write", entries, raw));
      System.out.println(line("journaled-raft-storage-append", entries, journaled));
      storage.close();
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      BenchCluster.deleteRecursively(root);
    }
  }

  private static String line(String probe, int entries, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return new JsonLine()
        .add("probe", probe)
        .add("entries_per_write", entries)
        .add("n", sorted.length)
        .add("mean_us", Arrays.stream(sorted).average().orElse(0) / 1000, 0)
        .add("p50_us", sorted[sorted.length / 2] / 1000)
        .add("p90_us", sorted[sorted.length * 9 / 10] / 1000)
        .add("p99_us", sorted[sorted.length * 99 / 100] / 1000)
        .add("load_avg_1m", HostLoad.loadAverage(), 2)
        .toString();
  }
}
