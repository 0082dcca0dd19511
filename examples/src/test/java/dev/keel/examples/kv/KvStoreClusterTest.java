package dev.keel.examples.kv;

import static dev.keel.examples.kv.KvTestHttp.get;
import static dev.keel.examples.kv.KvTestHttp.json;
import static dev.keel.examples.kv.KvTestHttp.put;
import static dev.keel.examples.kv.KvTestHttp.sendIfUp;
import static dev.keel.examples.kv.KvTestHttp.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.examples.kv.client.KvCli;
import dev.keel.examples.remote.KvNode;
import dev.keel.examples.remote.LocalProcessCluster;
import dev.keel.examples.remote.NodeProcesses;
import dev.keel.raft.testkit.Await;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real {@code kv-node} processes over mutual TLS on loopback, driven through HTTP and the
 * {@code kv} CLI: every operation, redirects, the leader killed with SIGKILL (307 and 503 while a
 * new leader is elected, success afterwards), the killed node restarted on its data directory, and
 * every acknowledged write found on every node, the restarted ones included. Only the processes
 * this test started are signalled.
 */
class KvStoreClusterTest {

  private static final List<String> NAMES = List.of("n1", "n2", "n3");
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path dir;

  private NodeProcesses processes;
  private final Map<String, Integer> raftPorts = new TreeMap<>();
  private final Map<String, Integer> httpPorts = new TreeMap<>();
  private String peers;

  /** Every acknowledged write: key to value, null for a deleted key. */
  private final Map<String, @Nullable String> acknowledged = new LinkedHashMap<>();

  @BeforeEach
  void makeCluster() throws Exception {
    TlsDir.init(dir.resolve("tls"), NAMES, List.of("127.0.0.1"), Duration.ofDays(1));
    List<Integer> ports = LocalProcessCluster.freePorts(2 * NAMES.size());
    List<String> entries = new ArrayList<>();
    for (int i = 0; i < NAMES.size(); i++) {
      raftPorts.put(NAMES.get(i), ports.get(i));
      httpPorts.put(NAMES.get(i), ports.get(NAMES.size() + i));
      entries.add(NAMES.get(i) + "@127.0.0.1:" + ports.get(i));
    }
    peers = String.join(",", entries);
    processes = new NodeProcesses(dir.resolve("logs"));
  }

  @AfterEach
  void killWhatRuns() {
    processes.close();
  }

  @Test
  void threeNodesServeHttpAndCliAndSurviveTheLeadersSigkill() throws Exception {
    for (String name : NAMES) {
      start(name);
    }
    for (String name : NAMES) {
      awaitReady(name);
    }
    String leader = awaitLeader(NAMES);
    httpOperations(leader);
    cliOperations(leader);

    String second = killLeaderAndSeeRedirectsThenSuccess(leader);
    String last =
        NAMES.stream()
            .filter(n -> !n.equals(leader) && !n.equals(second))
            .findFirst()
            .orElseThrow();
    killSecondLeaderAndSeeNoLeader(second, last);

    start(leader); // the same data directory
    awaitReady(leader);
    Await.until(
        "a write after the restart",
        WAIT,
        () -> writeAnywhere("after-restart", "r", List.of(leader, last)));
    start(second);
    awaitReady(second);

    for (String name : NAMES) {
      Await.until(
          name + " serves every acknowledged write as a stale read",
          WAIT,
          () ->
              acknowledged.entrySet().stream()
                  .allMatch(e -> stale(name, e.getKey(), e.getValue())));
    }
    for (Map.Entry<String, @Nullable String> write : acknowledged.entrySet()) {
      HttpResponse<byte[]> read = readFollowingRedirect(last, "/kv/" + encode(write.getKey()));
      assertThat(read.statusCode())
          .as(write.getKey())
          .isEqualTo(write.getValue() == null ? 404 : 200);
      if (write.getValue() != null) {
        assertThat(text(read)).as(write.getKey()).isEqualTo(write.getValue());
      }
    }
    for (String name : NAMES) {
      assertThat(processes.stop(name, Duration.ofSeconds(60)))
          .as(name + " exit code on SIGTERM")
          .isZero();
      assertThat(processes.output(name)).contains("Raft peer stopped, storage closed");
    }
  }

  private void httpOperations(String leader) {
    String follower = NAMES.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
    assertThat(put(url(leader) + "/kv/alpha", "1").statusCode()).isEqualTo(200);
    acknowledged.put("alpha", "1");

    HttpResponse<byte[]> redirected = put(url(follower) + "/kv/alpha?prev=1", "2");
    assertThat(redirected.statusCode()).isEqualTo(307);
    assertThat(redirected.headers().firstValue("Location"))
        .hasValue(url(leader) + "/kv/alpha?prev=1");
    assertThat(redirected.headers().firstValue(KvHttpApi.LEADER_HEADER)).hasValue(leader);
    assertThat(json(redirected).path("code").asText()).isEqualTo("not_leader");
    assertThat(json(redirected).path("leader").asText()).isEqualTo(leader);
    assertThat(get(url(follower) + "/kv/alpha").headers().firstValue("Location"))
        .hasValue(url(leader) + "/kv/alpha");
    assertThat(KvTestHttp.delete(url(follower) + "/kv/alpha").statusCode()).isEqualTo(307);

    HttpResponse<byte[]> swapped = put(url(leader) + "/kv/alpha?prev=1", "2");
    assertThat(swapped.statusCode()).isEqualTo(200);
    assertThat(json(swapped).path("previous").asText()).isEqualTo("1");
    acknowledged.put("alpha", "2");
    assertThat(put(url(leader) + "/kv/alpha?prev=1", "3").statusCode()).isEqualTo(412);
    assertThat(text(get(url(leader) + "/kv/alpha"))).isEqualTo("2");
    Await.until("a stale read on " + follower, WAIT, () -> stale(follower, "alpha", "2"));

    assertThat(put(url(leader) + "/kv/gone", "x").statusCode()).isEqualTo(200);
    assertThat(json(KvTestHttp.delete(url(leader) + "/kv/gone")).path("previous").asText())
        .isEqualTo("x");
    acknowledged.put("gone", null);
    assertThat(get(url(leader) + "/kv/gone").statusCode()).isEqualTo(404);

    for (String name : NAMES) {
      Await.until(
          name + " names the leader and its URL",
          WAIT,
          () -> url(leader).equals(json(get(url(name) + "/_status")).path("leaderUrl").asText()));
      JsonNode status = json(get(url(name) + "/_status"));
      assertThat(status.path("name").asText()).isEqualTo(name);
      assertThat(status.path("role").asText())
          .isEqualTo(name.equals(leader) ? "leader" : "follower");
      assertThat(status.path("leader").asText()).isEqualTo(leader);
      assertThat(status.path("term").asLong()).isPositive();
      assertThat(status.path("commitIndex").asLong()).isGreaterThanOrEqualTo(4);
      assertThat(status.path("lastApplied").asLong()).isPositive();
      assertThat(status.path("members").toString()).isEqualTo("[\"n1\",\"n2\",\"n3\"]");
    }
  }

  private void cliOperations(String leader) {
    // A follower first: the CLI follows its redirect.
    List<String> order = new ArrayList<>(NAMES);
    order.remove(leader);
    order.add(leader);
    String nodes = String.join(",", order.stream().map(this::url).toList());
    assertThat(kv(nodes, "put", "cli key", "hello wörld")).isEqualTo("OK\n");
    acknowledged.put("cli key", "hello wörld");
    assertThat(kv(nodes, "get", "cli key")).isEqualTo("hello wörld\n");
    Await.until(
        "a stale read through the CLI",
        WAIT,
        () ->
            kv(nodes, "get", "cli key", "--stale", "-w", "json")
                .equals("{\"key\":\"cli key\",\"value\":\"hello wörld\"}\n"));
    assertThat(kv(nodes, "cas", "cli key", "hello wörld", "bye")).isEqualTo("OK\n");
    acknowledged.put("cli key", "bye");
    assertThat(kvCode(nodes, "cas", "cli key", "hello wörld", "again")).isEqualTo(KvCli.CAS_FAILED);
    assertThat(kv(nodes, "delete", "cli key")).isEqualTo("OK\n");
    acknowledged.put("cli key", null);
    assertThat(kvCode(nodes, "get", "cli key")).isEqualTo(KvCli.NOT_FOUND);
    assertThat(kv(nodes, "put", "kept", "k")).isEqualTo("OK\n");
    acknowledged.put("kept", "k");
    assertThat(kv(nodes, "leader")).isEqualTo(leader + " " + url(leader) + "\n");
    assertThat(kv(nodes, "status", "-w", "table")).contains("| n1 ", "| n2 ", "| n3 ", "| leader ");
  }

  /** Kills the leader; writes to the survivors see 307/503 and then succeed at a new leader. */
  private String killLeaderAndSeeRedirectsThenSuccess(String leader) throws Exception {
    long pid = processes.pid(leader);
    processes.kill(leader);
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    List<String> survivors = NAMES.stream().filter(n -> !n.equals(leader)).toList();
    List<String> seen = new ArrayList<>();
    int[] attempt = {0};
    String key =
        Await.result(
            "a write acknowledged by a new leader",
            WAIT,
            () -> {
              for (String survivor : survivors) {
                String k = "after-kill-" + attempt[0]++;
                HttpResponse<byte[]> response = put(url(survivor) + "/kv/" + k, "v");
                seen.add(describe(response));
                if (response.statusCode() == 200) {
                  acknowledged.put(k, "v");
                  return k;
                }
              }
              return null;
            });
    System.out.printf(
        "after SIGKILL of %s: %d answers %s, then %s%n", leader, seen.size(), summary(seen), key);
    assertThat(seen.get(0)).isEqualTo("307 leader=" + leader);
    assertThat(seen)
        .allMatch(s -> s.startsWith("307") || s.equals("503 retry-after=1") || s.startsWith("200"));
    return awaitLeader(survivors);
  }

  /**
   * With two of three down, the last node answers 503 with Retry-After; nothing is acknowledged.
   */
  private void killSecondLeaderAndSeeNoLeader(String second, String last) throws Exception {
    processes.kill(second);
    List<String> seen = new ArrayList<>();
    Await.until(
        last + " answers 503",
        WAIT,
        () -> {
          HttpResponse<byte[]> response = put(url(last) + "/kv/never", "v");
          seen.add(describe(response));
          return response.statusCode() == 503;
        });
    System.out.printf("after SIGKILL of %s too: %s%n", second, summary(seen));
    assertThat(seen).allMatch(s -> s.startsWith("307") || s.equals("503 retry-after=1"));
    assertThat(json(get(url(last) + "/kv/alpha")).path("code").asText()).isEqualTo("no_leader");
    assertThat(kvCode(url(last), "put", "never", "v", "--timeout", "1500ms"))
        .isEqualTo(KvCli.UNAVAILABLE);
  }

  private boolean writeAnywhere(String key, String value, List<String> nodes) {
    for (String node : nodes) {
      HttpResponse<byte[]> response = sendIfUp("PUT", url(node) + "/kv/" + key, bytes(value));
      if (response != null && response.statusCode() == 307) {
        response =
            sendIfUp("PUT", response.headers().firstValue("Location").orElseThrow(), bytes(value));
      }
      if (response != null && response.statusCode() == 200) {
        acknowledged.put(key, value);
        return true;
      }
    }
    return false;
  }

  private HttpResponse<byte[]> readFollowingRedirect(String node, String path) {
    HttpResponse<byte[]> response = get(url(node) + path);
    return response.statusCode() == 307
        ? get(response.headers().firstValue("Location").orElseThrow())
        : response;
  }

  private boolean stale(String node, String key, @Nullable String value) {
    HttpResponse<byte[]> response =
        sendIfUp("GET", url(node) + "/kv/" + encode(key) + "?stale=true", null);
    return response != null
        && (value == null
            ? response.statusCode() == 404
            : response.statusCode() == 200 && text(response).equals(value));
  }

  private String awaitLeader(List<String> among) {
    return Await.result(
        "a leader among " + among,
        WAIT,
        () -> {
          for (String name : among) {
            HttpResponse<byte[]> status = sendIfUp("GET", url(name) + "/_status", null);
            if (status != null && json(status).path("role").asText().equals("leader")) {
              return name;
            }
          }
          return null;
        });
  }

  private void start(String name) throws Exception {
    processes.start(
        name,
        List.of("-Xmx256m", "-XX:+UseSerialGC"),
        KvNodeCommand.class.getName(),
        List.of(
            "--name", name,
            "--raft-port", String.valueOf(raftPorts.get(name)),
            "--http-port", String.valueOf(httpPorts.get(name)),
            "--data-dir", dir.resolve("data").resolve(name).toString(),
            "--peers", peers,
            "--tls-dir", dir.resolve("tls").toString()));
  }

  private void awaitReady(String name) throws Exception {
    processes.awaitOutput(name, KvNode.READY + " " + name, WAIT);
  }

  private String url(String name) {
    return "http://127.0.0.1:" + httpPorts.get(name);
  }

  private static String kv(String nodes, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--nodes", nodes));
    int code = KvCli.run(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
    assertThat(code).as("kv %s: %s", all, err).isZero();
    return out.toString();
  }

  private static int kvCode(String nodes, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--nodes", nodes));
    return KvCli.run(
        all.toArray(String[]::new),
        new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()));
  }

  private static String describe(HttpResponse<byte[]> response) {
    return switch (response.statusCode()) {
      case 307 ->
          "307 leader=" + response.headers().firstValue(KvHttpApi.LEADER_HEADER).orElse("?");
      case 503 -> "503 retry-after=" + response.headers().firstValue("Retry-After").orElse("none");
      default -> response.statusCode() + " " + text(response);
    };
  }

  /** Runs of equal answers: {@code 307 leader=n1 x12, 503 retry-after=1 x3, 200 ...}. */
  private static String summary(List<String> seen) {
    List<String> runs = new ArrayList<>();
    for (int i = 0; i < seen.size(); ) {
      int j = i;
      while (j < seen.size() && seen.get(j).equals(seen.get(i))) {
        j++;
      }
      runs.add(seen.get(i) + " x" + (j - i));
      i = j;
    }
    return String.join(", ", runs);
  }

  private static String encode(String key) {
    return java.net.URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
