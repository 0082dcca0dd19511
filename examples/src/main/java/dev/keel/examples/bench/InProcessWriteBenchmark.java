package dev.keel.examples.bench;

import java.util.concurrent.TimeUnit;

/**
 * Writes per second of a Raft group in one JVM (DESIGN §6): C concurrent outstanding writes of
 * 32-byte commands to a key-value state machine, warm-up, then a measured window. Prints one JSON
 * object per combination of storage, group size and client count.
 *
 * <p>Storage {@code memory} uses {@code InMemoryRaftStorage}; {@code durable-fsync} uses {@code
 * JournaledRaftStorage} on Keel's RocksDB journal, one fresh temporary directory per peer (deleted
 * afterwards), where a write is acknowledged only after a majority of the peers, the leader
 * counting only what it has fsynced itself, has it on disk. Durable results also report how many
 * log entries shared each fsync (group commit).
 *
 * <p>Arguments: client counts (default {@code 1,32,256}). System properties: {@code bench.storage}
 * ({@code memory}, {@code durable-fsync} or both, comma-separated; default {@code memory}), {@code
 * bench.nodes} (e.g. {@code 1,3}; default {@code 3}), {@code bench.warmup} and {@code
 * bench.measure} in seconds (default 5 and 10), {@code bench.dir} (default {@code java.io.tmpdir}).
 */
public final class InProcessWriteBenchmark {

  private InProcessWriteBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args optional comma-separated client counts
   * @throws Exception if the actor system or the storage fails
   */
  public static void main(String[] args) throws Exception {
    BenchOptions options = BenchOptions.fromSystemProperties(args);
    for (StorageKind storage : options.storages()) {
      for (int nodes : options.nodes()) {
        for (int clients : options.clients()) {
          System.out.println(run(storage, nodes, clients, options));
        }
      }
    }
  }

  static String run(StorageKind storage, int nodes, int clients, BenchOptions options)
      throws Exception {
    try (BenchCluster cluster = BenchCluster.start(storage, nodes, options.dataDir())) {
      LoadRunner load =
          LoadRunner.start(
              cluster.system(),
              cluster.members(),
              cluster.awaitLeader(),
              LoadRunner.Kind.WRITES,
              LoadRunner.ClientMode.DIRECT,
              clients);
      TimeUnit.SECONDS.sleep(options.warmupSeconds());
      JsonLine result = measure(cluster, load, options.measureSeconds());
      load.stop(); // lets every client's last write finish, so the storages are idle at close
      return new JsonLine()
          .add("impl", "keel")
          .add("topology", "in-process")
          .add("storage", cluster.storage().label())
          .add("nodes", nodes)
          .add("clients", clients)
          .addAll(result)
          .add("data_fs", cluster.dataFileSystem())
          .add("warmup_s", options.warmupSeconds())
          .add("measure_s", options.measureSeconds())
          .add("host_cpus", Runtime.getRuntime().availableProcessors())
          .add("load_avg_1m", HostLoad.loadAverage(), 2)
          .toString();
    }
  }

  /** Measures one window of the running load. */
  private static JsonLine measure(BenchCluster cluster, LoadRunner load, long seconds)
      throws InterruptedException {
    load.mark(); // discard the warm-up
    StorageCounters storageBefore = cluster.counters();
    HostLoad hostBefore = HostLoad.sample();
    TimeUnit.SECONDS.sleep(seconds);
    HostLoad hostAfter = HostLoad.sample();
    StorageCounters window = cluster.counters().minus(storageBefore);
    double elapsed = (hostAfter.nanoTime() - hostBefore.nanoTime()) / 1e9;
    HostLoad.Usage usage = hostBefore.until(hostAfter);
    JsonLine json = load.window(elapsed);
    addStorage(json, cluster.storage(), window, elapsed);
    return json.add("jvm_cores", usage.jvmCores(), 2)
        .add("host_busy_cores", usage.hostBusyCores(), 2);
  }

  /**
   * Adds the group-commit figures of the measured window: {@code entries_per_fsync} is every log
   * entry any peer handed to storage divided by every fsync any peer's journal made (so with 3
   * peers each client write counts 3 times, once per replica, and so does each fsync); {@code
   * storage_writes_per_fsync} is storage calls per fsync (batching inside the storage); {@code
   * fsyncs} (counted by the RocksDB journals) and {@code journal_writes} (counted by the storages)
   * are the window's totals and must agree, one journal per peer. Memory storage makes no fsyncs: 0
   * per second, ratios null.
   */
  private static void addStorage(
      JsonLine json, StorageKind storage, StorageCounters window, double seconds) {
    boolean durable = storage == StorageKind.DURABLE_FSYNC && window.fsyncs() > 0;
    json.add("fsyncs_per_s", window.fsyncs() / seconds, 1)
        .add(
            "entries_per_fsync",
            durable ? (double) window.entriesAppended() / window.fsyncs() : -1,
            1)
        .add(
            "storage_writes_per_fsync",
            durable ? (double) window.storageWritesDurable() / window.fsyncs() : -1,
            2)
        .add("fsyncs", window.fsyncs())
        .add("journal_writes", window.journalWrites());
  }
}
