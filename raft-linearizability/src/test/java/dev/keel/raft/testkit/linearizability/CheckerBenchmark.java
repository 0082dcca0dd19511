package dev.keel.raft.testkit.linearizability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How long the checker takes to a verdict on generated key-value histories, printed as one JSON
 * object per line. Not a test: run it with {@code mvn -B -q -pl raft-linearizability test-compile
 * exec:java}.
 *
 * <p>Histories come from {@link KvSimulation}: 1, 10 or 50 clients on 10 keys, 10,000 operations,
 * 1% timeouts. Scenarios:
 *
 * <ul>
 *   <li>{@code easy}: the simulated history, linearizable;
 *   <li>{@code easy+violation}: its last completed read made to return a value never written;
 *   <li>{@code hard-first}: a key whose part comes first and takes about 2^(clients - 1)
 *       configurations to decide (every other client writes it concurrently, then a read returns a
 *       value none wrote; see {@link HardHistories#exponential}), then the simulated history;
 *   <li>{@code hard-first+violation}: the same, with the corrupted read among the easy keys.
 * </ul>
 *
 * <p>Hard scenarios need concurrency, so they run with 10 and 50 clients only. Each scenario runs
 * at parallelism 1 and at the number of processors. System properties: {@code bench.budget.ms} (the
 * check's time budget, default 10000), {@code bench.runs} (measured runs after one warm-up, default
 * 5; a check slower than a second runs once), {@code bench.operations} (default 10000).
 */
public final class CheckerBenchmark {

  private static final int KEYS = 10;

  private CheckerBenchmark() {}

  /**
   * Runs every scenario and prints its line.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    Duration budget = Duration.ofMillis(Long.getLong("bench.budget.ms", 10_000));
    int runs = Integer.getInteger("bench.runs", 5);
    int operations = Integer.getInteger("bench.operations", 10_000);
    int processors = Runtime.getRuntime().availableProcessors();
    for (int clients : new int[] {1, 10, 50}) {
      KvSimulation.Settings settings =
          new KvSimulation.Settings(clients, KEYS, operations, 100, 20, 0.01, 0.02);
      History<KvOp<String, Integer>, Response<Integer>> easy = KvSimulation.run(clients, settings);
      History<KvOp<String, Integer>, Response<Integer>> broken =
          HardHistories.corruptLastRead(easy).history();
      List<Scenario> scenarios = new ArrayList<>();
      scenarios.add(new Scenario("easy", easy));
      scenarios.add(new Scenario("easy+violation", broken));
      if (clients > 1) {
        scenarios.add(new Scenario("hard-first", HardHistories.hardKeyFirst(easy, clients - 1)));
        scenarios.add(
            new Scenario("hard-first+violation", HardHistories.hardKeyFirst(broken, clients - 1)));
      }
      for (Scenario scenario : scenarios) {
        for (int parallelism : new int[] {1, processors}) {
          System.out.println(measure(scenario, clients, parallelism, budget, runs));
        }
      }
    }
  }

  private record Scenario(String name, History<KvOp<String, Integer>, Response<Integer>> history) {}

  private static String measure(
      Scenario scenario, int clients, int parallelism, Duration budget, int runs) {
    LinearizabilityChecker checker =
        LinearizabilityChecker.withBudget(budget).withParallelism(parallelism);
    CheckResult result = checker.check(KvModel.create(), scenario.history());
    int measured = result.elapsed().toMillis() > 1_000 ? 1 : runs;
    double[] millis = new double[measured];
    for (int run = 0; run < measured; run++) {
      if (measured > 1) {
        result = checker.check(KvModel.create(), scenario.history());
      }
      millis[run] = result.elapsed().toNanos() / 1e6;
    }
    Arrays.sort(millis);
    return String.format(
        Locale.ROOT,
        "{\"impl\":\"keel-checker\",\"scenario\":\"%s\",\"clients\":%d,"
            + "\"operations\":%d,\"parallelism\":%d,\"budget_ms\":%d,\"outcome\":\"%s\","
            + "\"parts\":%d,\"parts_linearizable\":%d,\"parts_not_linearizable\":%d,"
            + "\"parts_undecided\":%d,\"runs\":%d,\"p50_ms\":%.1f,\"min_ms\":%.1f}",
        scenario.name(),
        clients,
        scenario.history().size(),
        parallelism,
        budget.toMillis(),
        result.outcome(),
        result.parts().size(),
        count(result, PartResult.Status.LINEARIZABLE),
        count(result, PartResult.Status.NOT_LINEARIZABLE),
        result.parts().stream().filter(part -> !part.status().decided()).count(),
        measured,
        millis[measured / 2],
        millis[0]);
  }

  private static long count(CheckResult result, PartResult.Status status) {
    return result.parts().stream().filter(part -> part.status() == status).count();
  }
}
