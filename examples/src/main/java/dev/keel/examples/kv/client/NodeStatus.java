package dev.keel.examples.kv.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** {@code kv status} and {@code kv leader}: every node's {@code GET /_status}, no redirects. */
final class NodeStatus {

  private static final Duration ATTEMPT = Duration.ofSeconds(2);
  private static final Duration LEADER_POLL = Duration.ofMillis(200);
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final KvHttpClient client;
  private final KvCli.Format format;
  private final PrintWriter out;

  /** Reports on every node {@code client} knows. */
  NodeStatus(KvHttpClient client, KvCli.Format format, PrintWriter out) {
    this.client = client;
    this.format = format;
    this.out = out;
  }

  /**
   * Prints one status per node.
   *
   * @param clock whether simple lines start with the time of day ({@code --watch})
   * @return whether any node answered
   */
  boolean printOnce(boolean clock) {
    List<ObjectNode> statuses = fetch();
    switch (format) {
      case json -> {
        ArrayNode array = Json.MAPPER.createArrayNode();
        statuses.forEach(array::add);
        out.println(Json.write(array));
      }
      case table -> out.print(table(statuses));
      default -> {
        String prefix = clock ? LocalTime.now().format(CLOCK) + " " : "";
        statuses.forEach(status -> out.println(prefix + line(status)));
      }
    }
    out.flush();
    return statuses.stream().anyMatch(status -> !status.has("error"));
  }

  /**
   * Asks the nodes until one names a leader whose URL it knows.
   *
   * @return that node's status
   * @throws CliFailure {@link KvCli#UNAVAILABLE} if none does within {@code timeout}
   */
  JsonNode awaitLeader(Duration timeout) throws CliFailure {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (ObjectNode status : fetch()) {
        if (status.hasNonNull("leader") && status.hasNonNull("leaderUrl")) {
          return status;
        }
      }
      if (System.nanoTime() - deadline > 0) {
        throw new CliFailure(KvCli.UNAVAILABLE, "unavailable: no leader within " + timeout);
      }
      try {
        Thread.sleep(LEADER_POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliFailure(KvCli.UNAVAILABLE, "interrupted");
      }
    }
  }

  private List<ObjectNode> fetch() {
    List<ObjectNode> statuses = new ArrayList<>();
    for (String node : client.nodes()) {
      ObjectNode status = Json.MAPPER.createObjectNode();
      try {
        KvHttpClient.Answer answer = client.getOnce(node, "/_status", ATTEMPT);
        JsonNode body = Json.parse(answer.body());
        if (answer.status() == 200 && body instanceof ObjectNode fields) {
          status.put("url", node);
          status.setAll(fields);
        } else {
          status
              .put("url", node)
              .put("error", answer.status() + " " + KvHttpClient.message(answer.body()));
        }
      } catch (IOException e) {
        status
            .put("url", node)
            .put("error", e instanceof java.net.ConnectException ? "unreachable" : e.toString());
      }
      statuses.add(status);
    }
    return statuses;
  }

  private static String line(JsonNode status) {
    if (status.has("error")) {
      return String.format(
          "%-4s %-22s %s", "?", status.path("url").asText(), status.path("error").asText());
    }
    return String.format(
        "%-4s %-22s %-9s term %-3s leader %-4s commit %-6s applied %s",
        status.path("name").asText(),
        status.path("url").asText(),
        status.path("role").asText(),
        status.path("term").asText(),
        status.path("leader").isNull() ? "-" : status.path("leader").asText(),
        status.path("commitIndex").asText(),
        status.path("lastApplied").asText());
  }

  private static String table(List<ObjectNode> statuses) {
    Table table = new Table("NAME", "URL", "ROLE", "TERM", "LEADER", "COMMIT", "APPLIED");
    for (ObjectNode status : statuses) {
      if (status.has("error")) {
        table.row("?", status.path("url").asText(), status.path("error").asText(), "", "", "", "");
      } else {
        table.row(
            status.path("name").asText(),
            status.path("url").asText(),
            status.path("role").asText(),
            status.path("term").asText(),
            status.path("leader").isNull() ? "" : status.path("leader").asText(),
            status.path("commitIndex").asText(),
            status.path("lastApplied").asText());
      }
    }
    return table.render();
  }
}
