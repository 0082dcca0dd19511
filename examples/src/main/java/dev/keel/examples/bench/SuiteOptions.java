package dev.keel.examples.bench;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The benchmark suite's command line ({@code examples/bench/run.sh} passes its arguments on). With
 * no arguments the whole matrix runs; each option narrows it to the values given (comma-separated
 * lists allowed).
 *
 * @param topologies {@code --topology in-process|loopback-tls}
 * @param storages {@code --storage memory|durable-fsync}
 * @param scenarios {@code --scenario writes|reads|failover|codec|elections}
 * @param clients {@code --clients C}: null for each scenario's own (writes 1,32,256; reads 32,256;
 *     elections 256)
 * @param warmupSeconds {@code --warmup S} (default 5; quick 1)
 * @param jitWarmupSeconds {@code --jit-warmup S}: once per group, right after it starts, writes at
 *     C = 256 for this long before its first cell, so that every JVM of the group has compiled its
 *     hot paths (default 20; quick 0). Each cell still has its own {@code --warmup}.
 * @param seconds {@code --seconds S}: measured window (default 10; quick 2); also the steady run of
 *     {@code elections} when given (else 60; quick 3)
 * @param electionSeconds the steady run of the {@code elections} scenario
 * @param trials {@code --trials N}: leader kills of the failover scenario (default 5; quick 1)
 * @param client {@code --client raft-client|direct}: how the load's requests reach the leader
 * @param quick {@code --quick}: a smoke run of every scenario on durable storage, C = 32
 * @param dataDir {@code --dir D}: where runs make (and delete) their directories
 */
record SuiteOptions(
    List<String> topologies,
    List<StorageKind> storages,
    List<String> scenarios,
    @Nullable List<Integer> clients,
    long warmupSeconds,
    long jitWarmupSeconds,
    long seconds,
    long electionSeconds,
    int trials,
    LoadRunner.ClientMode client,
    boolean quick,
    Path dataDir) {

  static final List<String> ALL_SCENARIOS =
      List.of("codec", "writes", "reads", "elections", "failover");

  static SuiteOptions parse(String[] args) {
    String topology = "in-process,loopback-tls";
    String storage = null;
    String scenario = String.join(",", ALL_SCENARIOS);
    String clients = null;
    Long warmup = null;
    Long jitWarmup = null;
    Long seconds = null;
    Integer trials = null;
    String client = "raft-client";
    boolean quick = false;
    String dir = System.getProperty("java.io.tmpdir");
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--quick")) {
        quick = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + arg);
      }
      String value = args[++i];
      switch (arg) {
        case "--topology" -> topology = value;
        case "--storage" -> storage = value;
        case "--scenario" -> scenario = value;
        case "--clients" -> clients = value;
        case "--warmup" -> warmup = Long.parseLong(value);
        case "--jit-warmup" -> jitWarmup = nonNegative(arg, Long.parseLong(value));
        case "--seconds" -> seconds = Long.parseLong(value);
        case "--trials" -> trials = Integer.parseInt(value);
        case "--client" -> client = value;
        case "--dir" -> dir = value;
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    List<String> topologies = BenchOptions.list(topology, SuiteOptions::topology);
    List<String> scenarios = BenchOptions.list(scenario, SuiteOptions::scenario);
    String storages = storage != null ? storage : quick ? "durable-fsync" : "memory,durable-fsync";
    return new SuiteOptions(
        topologies,
        BenchOptions.list(storages, StorageKind::of),
        scenarios,
        clients != null
            ? BenchOptions.list(clients, Integer::parseInt)
            : quick ? List.of(32) : null,
        warmup != null ? warmup : quick ? 1 : 5,
        jitWarmup != null ? jitWarmup : quick ? 0 : 20,
        seconds != null ? seconds : quick ? 2 : 10,
        seconds != null ? seconds : quick ? 3 : 60,
        trials != null ? trials : quick ? 1 : 5,
        LoadRunner.ClientMode.of(client),
        quick,
        Path.of(dir));
  }

  /** The client counts of a scenario: the ones given, or the scenario's own. */
  List<Integer> clientsFor(String scenario) {
    if (clients != null) {
      return clients;
    }
    return switch (scenario) {
      case "writes" -> List.of(1, 32, 256);
      case "reads" -> List.of(32, 256);
      default -> List.of(256);
    };
  }

  private static long nonNegative(String option, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(option + " must not be negative: " + value);
    }
    return value;
  }

  private static String topology(String value) {
    if (!value.equals("in-process") && !value.equals("loopback-tls")) {
      throw new IllegalArgumentException("--topology must be in-process or loopback-tls: " + value);
    }
    return value;
  }

  private static String scenario(String value) {
    if (!ALL_SCENARIOS.contains(value)) {
      throw new IllegalArgumentException(
          "--scenario must be one of " + ALL_SCENARIOS + ": " + value);
    }
    return value;
  }
}
