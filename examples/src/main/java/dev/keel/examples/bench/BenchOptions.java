package dev.keel.examples.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What to run: every combination of storage kind, group size and client count, each in a fresh
 * actor system (and, for durable storage, fresh directories).
 *
 * @param storages storage kinds ({@code -Dbench.storage=memory,durable-fsync}; default memory)
 * @param nodes group sizes ({@code -Dbench.nodes=1,3}; default 3)
 * @param clients concurrent outstanding writes (first argument, e.g. {@code 1,32,256}; default
 *     {@code 1,32,256})
 * @param warmupSeconds warm-up before measuring ({@code -Dbench.warmup}; default 5)
 * @param measureSeconds measured window ({@code -Dbench.measure}; default 10)
 * @param dataDir where durable runs create their temporary directories ({@code -Dbench.dir};
 *     default {@code java.io.tmpdir})
 */
public record BenchOptions(
    List<StorageKind> storages,
    List<Integer> nodes,
    List<Integer> clients,
    long warmupSeconds,
    long measureSeconds,
    Path dataDir) {

  /**
   * Copies the lists and checks the values.
   *
   * @param storages storage kinds
   * @param nodes group sizes, each at least 1
   * @param clients client counts, each at least 1
   * @param warmupSeconds at least 0
   * @param measureSeconds at least 1
   * @param dataDir parent of the durable runs' temporary directories
   */
  public BenchOptions {
    storages = List.copyOf(storages);
    nodes = List.copyOf(nodes);
    clients = List.copyOf(clients);
    for (int n : nodes) {
      if (n < 1) {
        throw new IllegalArgumentException("bench.nodes must be >= 1, was " + n);
      }
    }
    for (int c : clients) {
      if (c < 1) {
        throw new IllegalArgumentException("client counts must be >= 1, was " + c);
      }
    }
    if (warmupSeconds < 0 || measureSeconds < 1) {
      throw new IllegalArgumentException("need bench.warmup >= 0 and bench.measure >= 1");
    }
  }

  /**
   * Reads the options from the system properties and the program arguments.
   *
   * @param args optional comma-separated client counts
   * @return the options
   */
  public static BenchOptions fromSystemProperties(String[] args) {
    return new BenchOptions(
        list(System.getProperty("bench.storage", "memory"), StorageKind::of),
        list(System.getProperty("bench.nodes", "3"), Integer::parseInt),
        list(args.length > 0 ? args[0] : "1,32,256", Integer::parseInt),
        Long.getLong("bench.warmup", 5),
        Long.getLong("bench.measure", 10),
        Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir"))));
  }

  /** The non-blank items of a comma-separated list, parsed. */
  static <T> List<T> list(String commaSeparated, Function<String, T> parse) {
    List<T> values = new ArrayList<>();
    for (String part : commaSeparated.split(",")) {
      if (!part.isBlank()) {
        values.add(parse.apply(part.trim()));
      }
    }
    return values;
  }
}
