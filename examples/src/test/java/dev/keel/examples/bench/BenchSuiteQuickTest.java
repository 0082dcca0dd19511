package dev.keel.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the benchmark suite runnable: {@code run.sh --quick} once (every scenario, both topologies,
 * three node processes over TLS, short windows), checking that each scenario prints well-formed
 * lines with the fields the README's tables use, and that nothing is left behind. Asserts nothing
 * about speed.
 */
class BenchSuiteQuickTest {

  @TempDir Path dir;

  // About a minute on 2 busy cores; the bound keeps a stuck node from holding the build.
  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void quickRunPrintsEveryScenarioAndCleansUp() throws Exception {
    List<String> lines = new ArrayList<>();

    BenchSuite.run(
        // --jit-warmup 1: the group warm-up runs too (a quick run has none by default).
        SuiteOptions.parse(new String[] {"--quick", "--jit-warmup", "1", "--dir", dir.toString()}),
        lines::add);

    List<Map<String, String>> results = lines.stream().map(JsonLine::parse).toList();
    assertThat(results)
        .extracting(r -> r.get("scenario"))
        .contains(
            "\"codec\"",
            "\"writes\"",
            "\"reads-linearizable\"",
            "\"reads-local\"",
            "\"elections\"",
            "\"failover\"");
    for (Map<String, String> result : results) {
      assertThat(result).containsEntry("impl", "\"keel\"");
      assertThat(JsonLine.number(result, "ops_per_s") + JsonLine.number(result, "failover_ms"))
          .as("%s", result)
          .isPositive();
    }
    assertThat(results)
        .filteredOn(r -> "\"writes\"".equals(r.get("scenario")))
        .extracting(r -> r.get("topology"))
        .containsExactlyInAnyOrder("\"in-process\"", "\"loopback-tls\"");
    assertThat(results)
        .filteredOn(r -> "\"writes\"".equals(r.get("scenario")))
        .allSatisfy(
            r -> {
              assertThat(JsonLine.number(r, "entries_per_fsync")).isPositive();
              assertThat(JsonLine.number(r, "entries_per_append")).isPositive();
              assertThat(JsonLine.number(r, "bytes_per_append")).isPositive();
              assertThat(JsonLine.number(r, "heap_after_gc_mib")).isPositive();
              assertThat(JsonLine.number(r, "rss_mib")).isPositive();
              assertThat(r).containsKeys("p50_us", "p99_us", "p999_us", "clients", "storage");
              assertThat(JsonLine.number(r, "jit_warmup_s")).isEqualTo(1);
            });
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }
}
