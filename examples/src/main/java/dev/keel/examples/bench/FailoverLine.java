package dev.keel.examples.bench;

import dev.keel.raft.RaftSettings;
import java.util.List;
import java.util.Map;

/** The failover scenario's JSON lines: one per trial, then median and max over the trials. */
final class FailoverLine {

  private FailoverLine() {}

  static JsonLine trial(
      int trial, int clients, String killed, Map<String, String> result, RaftSettings settings) {
    return head(clients)
        .add("trial", trial)
        .add("killed", killed)
        .addRaw("election_ms", result.getOrDefault("election_ms", "null"))
        .addRaw("failover_ms", result.getOrDefault("failover_ms", "null"))
        .addAll(tail(settings));
  }

  static JsonLine summary(
      int clients, List<Double> elections, List<Double> failovers, RaftSettings settings) {
    return head(clients)
        .add("trials", failovers.size())
        .add("election_ms", median(elections), 1)
        .add("failover_ms", median(failovers), 1)
        .add("failover_max_ms", failovers.stream().mapToDouble(d -> d).max().orElse(-1), 1)
        .addAll(tail(settings));
  }

  private static JsonLine head(int clients) {
    return new JsonLine()
        .add("impl", "keel")
        .add("scenario", "failover")
        .add("topology", "loopback-tls")
        .add("storage", "durable-fsync")
        .add("nodes", 3)
        .add("clients", clients);
  }

  private static JsonLine tail(RaftSettings settings) {
    return new JsonLine()
        .add(
            "election_timeout_ms",
            settings.electionTimeoutMin().toMillis()
                + "-"
                + settings.electionTimeoutMax().toMillis())
        .add("heartbeat_ms", settings.heartbeatInterval().toMillis())
        .add("host_cpus", Runtime.getRuntime().availableProcessors())
        .add("load_avg_1m", HostLoad.loadAverage(), 2);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
  }
}
