package dev.keel.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the benchmark runnable: one short durable run prints a well-formed line with its
 * group-commit figures and leaves no directory behind. Asserts nothing about speed.
 */
class InProcessWriteBenchmarkTest {

  @TempDir Path dir;

  @Test
  void durableSingleNodeRunReportsFsyncsAndDeletesItsDirectories() throws Exception {
    BenchOptions options =
        new BenchOptions(List.of(StorageKind.DURABLE_FSYNC), List.of(1), List.of(4), 0, 1, dir);

    String line = InProcessWriteBenchmark.run(StorageKind.DURABLE_FSYNC, 1, 4, options);

    assertThat(line)
        .startsWith("{\"impl\":\"keel\",\"topology\":\"in-process\",\"storage\":\"durable-fsync\"")
        .contains("\"nodes\":1,\"clients\":4,")
        .contains("\"errors\":0,")
        .containsPattern("\"entries_per_fsync\":[1-9][0-9.]*,")
        .containsPattern("\"fsyncs_per_s\":[1-9][0-9.]*,")
        .endsWith("}");
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void memoryRunReportsNoFsyncs() throws Exception {
    BenchOptions options =
        new BenchOptions(List.of(StorageKind.MEMORY), List.of(3), List.of(2), 0, 1, dir);

    String line = InProcessWriteBenchmark.run(StorageKind.MEMORY, 3, 2, options);

    assertThat(line)
        .contains("\"storage\":\"memory\",\"nodes\":3,\"clients\":2,")
        .contains("\"fsyncs_per_s\":0.0,\"entries_per_fsync\":null,");
  }

  @Test
  void storageNamesAreTheOnesOfTheJsonOutput() {
    assertThat(StorageKind.of("durable-fsync")).isEqualTo(StorageKind.DURABLE_FSYNC);
    assertThat(StorageKind.of(" memory")).isEqualTo(StorageKind.MEMORY);
    assertThatThrownBy(() -> StorageKind.of("rocksdb"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("memory or durable-fsync");
  }
}
