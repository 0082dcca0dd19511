package dev.keel.examples.bench;

import java.util.List;
import java.util.Map;

/**
 * One load result of the suite as a JSON line (DESIGN §6 fields first): the load's figures from the
 * JVM that ran it, batching counters summed over every JVM of the group, memory of the largest
 * node.
 *
 * <p>Batching: {@code entries_per_fsync} is every log entry any peer handed to storage ÷ every
 * fsync any peer's journal made (each client write counts once per replica, and so does each
 * fsync); {@code entries_per_append} is entries ÷ AppendEntries requests that carried entries;
 * {@code bytes_per_append} is the serialized size of those requests (a sample of one in 16), what
 * Artery puts in one frame before its envelope header.
 */
final class CellLine {

  private final JsonLine json;
  private final JsonLine tail = new JsonLine();

  CellLine(String scenario, String topology, StorageKind storage, int clients, String client) {
    json =
        new JsonLine()
            .add("impl", "keel")
            .add("scenario", scenario)
            .add("topology", topology)
            .add("storage", storage.label())
            .add("nodes", 3)
            .add("clients", clients)
            .add("client", client);
  }

  /** The load's throughput, latency and errors. */
  CellLine load(Map<String, String> report) {
    for (String field : List.of("ops_per_s", "p50_us", "p99_us", "p999_us", "max_us", "errors")) {
      json.addRaw(field, report.getOrDefault(field, "null"));
    }
    return this;
  }

  /** Batching counters summed over the group's JVMs; CPU, GC and hiccups. */
  CellLine counters(List<Map<String, String>> reports) {
    double entries = sum(reports, "entries");
    double fsyncs = sum(reports, "fsyncs");
    double appends = sum(reports, "appends");
    double sampled = sum(reports, "sampled_appends");
    double seconds = JsonLine.number(reports.get(0), "window_s");
    json.add("entries_per_fsync", fsyncs > 0 ? entries / fsyncs : -1, 1)
        .add("entries_per_append", appends > 0 ? sum(reports, "append_entries") / appends : -1, 1)
        .add("bytes_per_append", sampled > 0 ? sum(reports, "sampled_bytes") / sampled : -1, 0)
        .add("fsyncs_per_s", seconds > 0 ? fsyncs / seconds : -1, 1)
        .add("appends_per_s", seconds > 0 ? appends / seconds : -1, 1)
        .add("elections", (long) sum(reports, "elections"));
    tail.add("max_hiccup_ms", max(reports, "max_hiccup_ms"), 1)
        .add("gc_ms", (long) sum(reports, "gc_ms"))
        .add("jvm_cores", sum(reports, "jvm_cores"), 2)
        .add("host_busy_cores", max(reports, "host_busy_cores"), 2);
    return this;
  }

  /**
   * The largest node's heap after a full GC and RSS; with {@code before} (taken at the start of the
   * window), also the largest growth of heap after GC over the window.
   */
  CellLine memory(List<Map<String, String>> after, List<Map<String, String>> before) {
    json.add("heap_after_gc_mib", max(after, "heap_after_gc_mib"), 1)
        .add("rss_mib", max(after, "rss_mib"), 1)
        .add("max_heap_mib", max(after, "max_heap_mib"), 0);
    if (!before.isEmpty()) {
      double growth = -Double.MAX_VALUE;
      for (int i = 0; i < after.size(); i++) {
        growth =
            Math.max(
                growth,
                JsonLine.number(after.get(i), "heap_after_gc_mib")
                    - JsonLine.number(before.get(i), "heap_after_gc_mib"));
      }
      json.addRaw("heap_growth_mib", String.format(java.util.Locale.ROOT, "%.1f", growth));
    }
    return this;
  }

  String finish(String dataFs, long jitWarmupSeconds, long warmupSeconds, long measureSeconds) {
    return json.addAll(tail)
        .add("data_fs", dataFs.equals("null") ? null : dataFs)
        .add("jit_warmup_s", jitWarmupSeconds)
        .add("warmup_s", warmupSeconds)
        .add("measure_s", measureSeconds)
        .add("host_cpus", Runtime.getRuntime().availableProcessors())
        .add("load_avg_1m", HostLoad.loadAverage(), 2)
        .toString();
  }

  private static double sum(List<Map<String, String>> reports, String field) {
    double total = 0;
    for (Map<String, String> report : reports) {
      total += JsonLine.number(report, field);
    }
    return total;
  }

  private static double max(List<Map<String, String>> reports, String field) {
    double max = 0;
    for (Map<String, String> report : reports) {
      max = Math.max(max, JsonLine.number(report, field));
    }
    return max;
  }
}
