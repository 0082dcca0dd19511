package dev.keel.examples.bench;

import com.typesafe.config.ConfigFactory;
import dev.keel.raft.RaftSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keel's benchmark suite (issue 11): one JSON line per result in the schema of DESIGN §6, for the
 * scenarios writes, reads (linearizable and local), elections (a steady run that must see none),
 * failover (leader process killed under load) and codec, on the topologies {@code in-process} (3
 * peers in this JVM) and {@code loopback-tls} (3 {@link BenchNode} processes over Artery mutual TLS
 * on 127.0.0.1), with {@code memory} or {@code durable-fsync} storage. Run it with {@code
 * examples/bench/run.sh}; the options are {@link SuiteOptions}'.
 *
 * <p>One group (of processes, or of peers in this JVM) serves every cell of a topology and storage
 * in turn: load, warm-up, a measured window, the window's counters from every JVM, memory after a
 * full GC. The failover scenario runs last on its group, since it kills processes.
 */
public final class BenchSuite {

  private static final Duration CALL = Duration.ofSeconds(60);
  private static final int JIT_WARMUP_CLIENTS = 256;

  private BenchSuite() {}

  /**
   * Runs the suite.
   *
   * @param args see {@link SuiteOptions}
   * @throws Exception if a group cannot start or a node fails
   */
  public static void main(String[] args) throws Exception {
    run(SuiteOptions.parse(args), System.out::println);
    System.exit(0);
  }

  /** Runs what {@code options} select, handing each result line to {@code out}. */
  static void run(SuiteOptions options, Consumer<String> out) throws Exception {
    if (options.scenarios().contains("codec")) {
      out.accept(CodecBench.run(options.quick() ? 1 : options.seconds()));
    }
    for (String topology : options.topologies()) {
      for (StorageKind storage : options.storages()) {
        List<String> scenarios = applicable(options, topology, storage);
        if (scenarios.isEmpty()) {
          continue;
        }
        try (SuiteGroup group = start(topology, storage, options)) {
          SuiteRun run = new SuiteRun(group, topology, options, out);
          run.awaitLeader();
          run.jitWarmup();
          for (String scenario : scenarios) {
            run.scenario(scenario);
          }
        }
      }
    }
  }

  /** The group scenarios that run on this topology and storage. */
  private static List<String> applicable(
      SuiteOptions options, String topology, StorageKind storage) {
    List<String> scenarios = new ArrayList<>();
    for (String scenario : List.of("writes", "reads", "elections", "failover")) {
      boolean remoteDurable =
          topology.equals("loopback-tls") && storage == StorageKind.DURABLE_FSYNC;
      boolean fits =
          switch (scenario) {
            case "failover" -> remoteDurable;
            case "elections" -> topology.equals("loopback-tls");
            default -> true;
          };
      if (options.scenarios().contains(scenario) && fits) {
        scenarios.add(scenario);
      }
    }
    return scenarios;
  }

  private static SuiteGroup start(String topology, StorageKind storage, SuiteOptions options)
      throws IOException {
    return topology.equals("in-process")
        ? InProcessGroup.start(storage, options.dataDir())
        : ProcessGroup.start(storage, options.dataDir());
  }

  /** The scenarios on one running group. */
  private static final class SuiteRun {
    private final SuiteGroup group;
    private final String topology;
    private final SuiteOptions options;
    private final Consumer<String> out;
    private String leader = "";

    SuiteRun(SuiteGroup group, String topology, SuiteOptions options, Consumer<String> out) {
      this.group = group;
      this.topology = topology;
      this.options = options;
      this.out = out;
    }

    void scenario(String scenario) throws Exception {
      switch (scenario) {
        case "writes" -> {
          for (int clients : options.clientsFor("writes")) {
            out.accept(cell("writes", LoadRunner.Kind.WRITES, clients, options.seconds(), false));
          }
        }
        case "reads" -> {
          for (int clients : options.clientsFor("reads")) {
            for (LoadRunner.Kind kind :
                List.of(LoadRunner.Kind.LINEARIZABLE_READS, LoadRunner.Kind.LOCAL_READS)) {
              out.accept(cell(kind.label, kind, clients, options.seconds(), false));
            }
          }
        }
        case "elections" -> {
          for (int clients : options.clientsFor("elections")) {
            out.accept(
                cell(
                    "elections", LoadRunner.Kind.WRITES, clients, options.electionSeconds(), true));
          }
        }
        case "failover" -> failover();
        default -> throw new IllegalArgumentException(scenario);
      }
    }

    /**
     * Writes at C = 256 for {@code --jit-warmup} seconds and discards the window: the group's JVMs
     * compile their hot paths here rather than in the first cell's window. Three node processes
     * compile three times what one JVM holding a whole peer group does, which a 5 s cell warm-up on
     * two cores does not cover (the first cell of a fresh group measured 2x slow).
     */
    void jitWarmup() throws Exception {
      if (options.jitWarmupSeconds() == 0) {
        return;
      }
      String loadAgent = group.agentOf(leader);
      group.call(
          loadAgent, "load writes " + options.client().label() + " " + JIT_WARMUP_CLIENTS, CALL);
      TimeUnit.SECONDS.sleep(options.jitWarmupSeconds());
      group.call(loadAgent, "stop", CALL);
    }

    /** Waits up to 60 s until a member leads and every member has applied what it committed. */
    void awaitLeader() throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        String found = null;
        long applied = Long.MAX_VALUE;
        long commit = 0;
        for (String agent : group.agents()) {
          Map<String, String> status;
          try {
            status = JsonLine.parse(group.call(agent, "status", CALL));
          } catch (IllegalStateException e) {
            found = null; // a busy node did not answer in time: ask again
            applied = -1;
            continue;
          }
          String name = status.get("leader");
          if (name != null && !name.equals("null")) {
            found = name.replace("\"", "");
          }
          applied = Math.min(applied, (long) JsonLine.number(status, "min_applied"));
          commit = Math.max(commit, (long) JsonLine.number(status, "max_commit"));
        }
        if (found != null && applied >= commit) {
          leader = found;
          return;
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
      throw new IllegalStateException("no settled leader within 60 s");
    }

    /** One load cell: warm-up, measured window, the counters of every JVM, memory after GC. */
    private String cell(
        String scenario, LoadRunner.Kind kind, int clients, long seconds, boolean heapGrowth)
        throws Exception {
      awaitLeader();
      String loadAgent = group.agentOf(leader);
      group.call(
          loadAgent, "load " + kind.label + " " + options.client().label() + " " + clients, CALL);
      TimeUnit.SECONDS.sleep(options.warmupSeconds());
      List<Map<String, String>> before = heapGrowth ? callAll("memory") : List.of();
      callAll("mark");
      TimeUnit.SECONDS.sleep(seconds);
      List<Map<String, String>> reports = callAll("report");
      Map<String, String> loadReport = reports.get(group.agents().indexOf(loadAgent));
      group.call(loadAgent, "stop", CALL);
      List<Map<String, String>> memory = callAll("memory");
      CellLine line =
          new CellLine(scenario, topology, group.storage(), clients, options.client().label());
      line.load(loadReport).counters(reports).memory(memory, before);
      return line.finish(
          group.dataFileSystem(), options.jitWarmupSeconds(), options.warmupSeconds(), seconds);
    }

    private List<Map<String, String>> callAll(String command) throws IOException {
      List<Map<String, String>> answers = new ArrayList<>();
      for (String agent : group.agents()) {
        answers.add(JsonLine.parse(group.call(agent, command, CALL)));
      }
      return answers;
    }

    /** Kills the leader's process under load, {@code trials} times; then the medians. */
    private void failover() throws Exception {
      ProcessGroup processes = (ProcessGroup) group;
      RaftSettings settings = RaftSettings.fromConfig(ConfigFactory.load());
      List<Double> failovers = new ArrayList<>();
      List<Double> elections = new ArrayList<>();
      List<Integer> given = options.clients();
      int clients = given != null ? given.get(0) : 32;
      for (int trial = 1; trial <= options.trials(); trial++) {
        awaitLeader();
        String killed = leader;
        String prober =
            group.agents().stream().filter(a -> !a.equals(killed)).findFirst().orElseThrow();
        group.call(prober, "load writes " + options.client().label() + " " + clients, CALL);
        TimeUnit.SECONDS.sleep(Math.max(1, options.warmupSeconds()));
        long killedAt = System.nanoTime();
        processes.kill(killed);
        Map<String, String> result =
            JsonLine.parse(group.call(prober, "failover " + killed + " " + killedAt, CALL));
        group.call(prober, "stop", CALL);
        processes.restart(killed);
        failovers.add(JsonLine.number(result, "failover_ms"));
        elections.add(JsonLine.number(result, "election_ms"));
        out.accept(FailoverLine.trial(trial, clients, killed, result, settings).toString());
      }
      out.accept(FailoverLine.summary(clients, elections, failovers, settings).toString());
    }
  }
}
