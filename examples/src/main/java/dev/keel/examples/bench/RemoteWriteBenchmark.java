package dev.keel.examples.bench;

/**
 * {@link InProcessWriteBenchmark}'s workload with each of the 3 peers in an actor system of its own
 * (in this JVM), connected by Pekko Artery over mutual TLS on loopback ({@code "topology":
 * "loopback-tls"}): C closed-loop writers of 32-byte commands, running in the leader's actor
 * system, so every write is replicated to the followers over TLS and acknowledged once a majority
 * has it (durable storage: once a majority has fsynced it). Prints one JSON line per storage kind
 * and client count, with the fields of {@link InProcessWriteBenchmark}.
 *
 * <p>Arguments and system properties as for {@link InProcessWriteBenchmark} ({@code bench.nodes} is
 * ignored: always 3).
 */
public final class RemoteWriteBenchmark {

  private static final int NODES = 3;

  private RemoteWriteBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args optional comma-separated client counts
   * @throws Exception if an actor system or the storage fails
   */
  public static void main(String[] args) throws Exception {
    BenchOptions options = BenchOptions.fromSystemProperties(args);
    for (StorageKind storage : options.storages()) {
      for (int clients : options.clients()) {
        try (RemoteBenchCluster cluster =
            RemoteBenchCluster.start(storage, NODES, options.dataDir())) {
          int leader = cluster.awaitLeader();
          System.out.println(
              InProcessWriteBenchmark.runLoad(
                  "loopback-tls",
                  cluster,
                  cluster.system(leader),
                  cluster.peer(leader),
                  NODES,
                  clients,
                  options));
        }
      }
    }
  }
}
