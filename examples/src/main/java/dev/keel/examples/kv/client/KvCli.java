package dev.keel.examples.kv.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;

/**
 * {@code kv}: the KV store's command-line client, in the manner of etcdctl. Every command tries the
 * nodes it knows ({@code --nodes}, by default the three {@code run.sh} starts), follows redirects
 * to the leader, and retries while no leader is known until {@code --timeout}. Output is {@code -w
 * simple} (default), {@code json} or {@code table}; errors are one line on stderr and an exit code
 * per error class.
 */
@Command(
    name = "kv",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Talks to Keel's replicated key-value store over HTTP.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:other failure (an unexpected answer)",
      "2:bad input (usage, or the server refused the request as malformed: 400)",
      "3:not found (get of an absent key)",
      "4:compare-and-set failed (the key did not hold OLD)",
      "5:outcome unknown (a write was sent but its fate is not known; read before retrying)",
      "6:unavailable (no node reachable, or no leader, within --timeout)"
    })
public final class KvCli implements Callable<Integer> {

  /** Success. */
  public static final int OK = 0;

  /** An answer no other code covers (e.g. 500). */
  public static final int FAILED = 1;

  /** Usage error, or a 400 from the server. */
  public static final int BAD_INPUT = 2;

  /** {@code get} of an absent key. */
  public static final int NOT_FOUND = 3;

  /** {@code cas} whose expected value did not match. */
  public static final int CAS_FAILED = 4;

  /** A write whose outcome is unknown (504, or no answer after it was sent). */
  public static final int UNKNOWN_OUTCOME = 5;

  /** No node reachable, or no leader, within the timeout. */
  public static final int UNAVAILABLE = 6;

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)?");

  @Option(
      names = "--nodes",
      scope = ScopeType.INHERIT,
      split = ",",
      paramLabel = "URL",
      defaultValue = "http://127.0.0.1:8001,http://127.0.0.1:8002,http://127.0.0.1:8003",
      description = "the nodes' HTTP URLs, tried in order (default: ${DEFAULT-VALUE})")
  private List<String> nodes = List.of();

  @Option(
      names = "--timeout",
      scope = ScopeType.INHERIT,
      paramLabel = "DURATION",
      defaultValue = "10s",
      description =
          "how long to retry while no leader is known, e.g. 500ms, 10s, 1m (default: ${DEFAULT-VALUE})")
  private String timeout = "10s";

  @Option(
      names = {"-w", "--write-out"},
      scope = ScopeType.INHERIT,
      paramLabel = "FORMAT",
      defaultValue = "simple",
      description = "output format: simple, json or table (default: ${DEFAULT-VALUE})")
  private Format format = Format.simple;

  private PrintWriter out = new PrintWriter(System.out, true);

  /** Output formats. */
  enum Format {
    simple,
    json,
    table
  }

  /** Picocli fills the fields. */
  public KvCli() {}

  /**
   * Runs {@code kv} and exits with its code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    System.exit(
        run(
            args,
            new PrintWriter(System.out, true, StandardCharsets.UTF_8),
            new PrintWriter(System.err, true, StandardCharsets.UTF_8)));
  }

  /** Runs {@code kv} with the given output; returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    KvCli cli = new KvCli();
    cli.out = out;
    CommandLine commandLine = new CommandLine(cli).setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setParameterExceptionHandler(
        (e, arguments) -> {
          err.println("kv: " + e.getMessage() + " (kv --help lists the commands)");
          return BAD_INPUT;
        });
    commandLine.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          err.println("kv: " + (e instanceof CliFailure ? e.getMessage() : e.toString()));
          return e instanceof CliFailure failure ? failure.exitCode() : FAILED;
        });
    int code = commandLine.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  @Override
  public Integer call() {
    new CommandLine(this).usage(out);
    return BAD_INPUT;
  }

  @Command(name = "put", description = "Sets KEY to VALUE.")
  int put(
      @Parameters(paramLabel = "KEY") String key, @Parameters(paramLabel = "VALUE") String value)
      throws CliFailure {
    return written(client().send("PUT", "/kv/" + KvHttpClient.encode(key), utf8(value), true));
  }

  @Command(name = "get", description = "Prints the value of KEY (linearizable unless --stale).")
  int get(
      @Parameters(paramLabel = "KEY") String key,
      @Option(names = "--stale", description = "any node's local copy; may be stale") boolean stale)
      throws CliFailure {
    String target = "/kv/" + KvHttpClient.encode(key) + (stale ? "?stale=true" : "");
    KvHttpClient.Answer answer = client().send("GET", target, null, false);
    settle(answer);
    String value = answer.text();
    switch (format) {
      case json -> out.println(Json.write(object().put("key", key).put("value", value)));
      case table -> out.print(new Table("KEY", "VALUE").row(key, value).render());
      default -> out.println(value);
    }
    return OK;
  }

  @Command(name = "delete", description = "Removes KEY (succeeds if it is absent).")
  int delete(@Parameters(paramLabel = "KEY") String key) throws CliFailure {
    return written(client().send("DELETE", "/kv/" + KvHttpClient.encode(key), null, true));
  }

  @Command(name = "cas", description = "Sets KEY to NEW only if it holds OLD (compare-and-set).")
  int cas(
      @Parameters(paramLabel = "KEY") String key,
      @Parameters(paramLabel = "OLD") String expected,
      @Parameters(paramLabel = "NEW") String value)
      throws CliFailure {
    String target = "/kv/" + KvHttpClient.encode(key) + "?prev=" + KvHttpClient.encode(expected);
    return written(client().send("PUT", target, utf8(value), true));
  }

  @Command(name = "status", description = "Prints every node's role, term, leader and indexes.")
  int status(
      @Option(
              names = "--watch",
              paramLabel = "INTERVAL",
              description = "print again every INTERVAL (e.g. 5s) until interrupted")
          @Nullable String watch)
      throws CliFailure {
    NodeStatus statuses = new NodeStatus(client(), format, out);
    if (watch == null) {
      return statuses.printOnce(false) ? OK : UNAVAILABLE;
    }
    Duration interval = duration(watch, "--watch");
    while (true) {
      statuses.printOnce(true);
      pause(interval);
    }
  }

  @Command(name = "leader", description = "Prints the leader's name and URL (waits for one).")
  int leader() throws CliFailure {
    JsonNode leader = new NodeStatus(client(), format, out).awaitLeader(timeout());
    String name = leader.path("leader").asText();
    String url = leader.path("leaderUrl").asText();
    switch (format) {
      case json -> out.println(Json.write(object().put("leader", name).put("url", url)));
      case table -> out.print(new Table("LEADER", "URL").row(name, url).render());
      default -> out.println(name + " " + url);
    }
    return OK;
  }

  private int written(KvHttpClient.Answer answer) throws CliFailure {
    JsonNode body = settle(answer);
    switch (format) {
      case json -> out.println(Json.write(body));
      case table ->
          out.print(
              new Table("KEY", "INDEX", "PREVIOUS")
                  .row(
                      body.path("key").asText(),
                      body.path("index").asText(),
                      body.path("previous").isNull() ? "" : body.path("previous").asText())
                  .render());
      default -> out.println("OK");
    }
    return OK;
  }

  /** A successful answer's JSON body; any other answer becomes the failure of its class. */
  private static JsonNode settle(KvHttpClient.Answer answer) throws CliFailure {
    JsonNode body = Json.parse(answer.body());
    String message = KvHttpClient.message(answer.body());
    return switch (answer.status()) {
      case 200, 204 -> body;
      case 400 -> throw new CliFailure(BAD_INPUT, "bad input: " + message);
      case 404 -> throw new CliFailure(NOT_FOUND, "not found: " + body.path("key").asText(message));
      case 412 ->
          throw new CliFailure(
              CAS_FAILED,
              "compare-and-set failed: "
                  + (body.path("current").isNull()
                      ? "the key is absent"
                      : "the current value is '" + body.path("current").asText() + "'"));
      case 504 -> throw new CliFailure(UNKNOWN_OUTCOME, "outcome unknown: " + message);
      case 503 -> throw new CliFailure(UNAVAILABLE, "unavailable: " + message);
      default ->
          throw new CliFailure(
              FAILED, answer.node() + " answered " + answer.status() + ": " + message);
    };
  }

  private KvHttpClient client() throws CliFailure {
    return new KvHttpClient(nodes(), timeout());
  }

  private List<String> nodes() throws CliFailure {
    List<String> urls =
        nodes.stream()
            .map(String::trim)
            .filter(node -> !node.isEmpty())
            .map(node -> node.contains("://") ? node : "http://" + node)
            .map(node -> node.endsWith("/") ? node.substring(0, node.length() - 1) : node)
            .toList();
    if (urls.isEmpty()) {
      throw new CliFailure(BAD_INPUT, "--nodes lists no node");
    }
    return urls;
  }

  private Duration timeout() throws CliFailure {
    return duration(timeout, "--timeout");
  }

  private static Duration duration(String text, String flag) throws CliFailure {
    Matcher matcher = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!matcher.matches()) {
      throw new CliFailure(BAD_INPUT, flag + " must be like 500ms, 10s or 1m, was '" + text + "'");
    }
    long amount = Long.parseLong(matcher.group(1));
    String unit = matcher.group(2);
    return unit == null || unit.equals("s")
        ? Duration.ofSeconds(amount)
        : unit.equals("ms") ? Duration.ofMillis(amount) : Duration.ofMinutes(amount);
  }

  private static void pause(Duration interval) throws CliFailure {
    try {
      Thread.sleep(interval.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliFailure(OK, "interrupted");
    }
  }

  private static ObjectNode object() {
    return Json.MAPPER.createObjectNode();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
