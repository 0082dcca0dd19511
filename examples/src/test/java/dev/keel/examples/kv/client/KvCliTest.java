package dev.keel.examples.kv.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.keel.examples.remote.LocalProcessCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code kv} against scripted HTTP nodes: redirects, retries while no leader is known, nodes that
 * cannot be reached, and an exit code per error class. Runs the CLI in this JVM.
 */
class KvCliTest {

  private final List<HttpServer> servers = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stopServers() {
    release.countDown();
    servers.forEach(server -> server.stop(0));
  }

  /** A scripted node: answers with {@code script} for every request; records what it got. */
  private final class Stub {
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    final String url;
    private final List<Answer> script;
    private final AtomicInteger next = new AtomicInteger();

    Stub(Answer... script) throws IOException {
      this.script = List.of(script);
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setExecutor(Executors.newCachedThreadPool());
      server.createContext("/", this::handle);
      server.start();
      servers.add(server);
      url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(
          exchange.getRequestMethod()
              + " "
              + exchange.getRequestURI().getRawPath()
              + (exchange.getRequestURI().getRawQuery() == null
                  ? ""
                  : "?" + exchange.getRequestURI().getRawQuery())
              + (body.isEmpty() ? "" : " " + body));
      Answer answer = script.get(Math.min(next.getAndIncrement(), script.size() - 1));
      if (answer.status() == 0) {
        try {
          release.await(30, TimeUnit.SECONDS); // never answers while the test runs
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        exchange.close();
        return;
      }
      if (answer.location() != null) {
        exchange.getResponseHeaders().add("Location", answer.location());
      }
      byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    }
  }

  private record Answer(int status, String body, String location) {
    static Answer of(int status, String body) {
      return new Answer(status, body, null);
    }
  }

  private record Run(int code, String out, String err) {}

  private static Run kv(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = KvCli.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  private static final String WRITTEN = "{\"key\":\"k\",\"index\":7,\"previous\":\"old\"}";

  @Test
  void followsTheRedirectToTheLeader() throws IOException {
    Stub leader = new Stub(Answer.of(200, WRITTEN));
    Stub follower = new Stub(new Answer(307, "{\"code\":\"not_leader\"}", leader.url + "/kv/k"));
    Run run = kv("put", "k", "v", "--nodes", follower.url + "," + leader.url);
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("OK\n");
    assertThat(follower.requests).containsExactly("PUT /kv/k v");
    assertThat(leader.requests).containsExactly("PUT /kv/k v");
  }

  @Test
  void retriesWhileNoLeaderIsKnownAndSkipsNodesThatAreDown() throws IOException {
    int down = LocalProcessCluster.freePorts(1).get(0);
    Stub electing = new Stub(Answer.of(503, "{\"code\":\"no_leader\"}"), Answer.of(200, WRITTEN));
    Run run = kv("--nodes", "127.0.0.1:" + down + "," + electing.url, "delete", "k");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(electing.requests).containsExactly("DELETE /kv/k", "DELETE /kv/k");
  }

  @Test
  void givesUpAsUnavailableAtTheTimeout() throws IOException {
    Stub electing = new Stub(Answer.of(503, "{\"code\":\"no_leader\",\"message\":\"no leader\"}"));
    Run run = kv("get", "k", "--nodes", electing.url, "--timeout", "700ms");
    assertThat(run.code()).isEqualTo(KvCli.UNAVAILABLE);
    assertThat(run.err()).startsWith("kv: unavailable").contains("no leader");
    int down = LocalProcessCluster.freePorts(1).get(0);
    assertThat(kv("leader", "--nodes", "127.0.0.1:" + down, "--timeout", "300ms").code())
        .isEqualTo(KvCli.UNAVAILABLE);
  }

  @Test
  void aWriteWhoseOutcomeIsUnknownIsNeverRetried() throws IOException {
    Stub timedOut = new Stub(Answer.of(504, "{\"code\":\"outcome_unknown\",\"message\":\"m\"}"));
    Stub other = new Stub(Answer.of(200, WRITTEN));
    Run run = kv("put", "k", "v", "--nodes", timedOut.url + "," + other.url);
    assertThat(run.code()).isEqualTo(KvCli.UNKNOWN_OUTCOME);
    assertThat(run.err()).startsWith("kv: outcome unknown");
    assertThat(timedOut.requests).hasSize(1);
    assertThat(other.requests).isEmpty();

    Stub silent = new Stub(new Answer(0, "", null));
    Run noAnswer = kv("put", "k", "v", "--nodes", silent.url, "--timeout", "1s");
    assertThat(noAnswer.code()).isEqualTo(KvCli.UNKNOWN_OUTCOME);
    assertThat(noAnswer.err()).contains("did not answer in time");
  }

  @Test
  void aReadThatTimedOutIsRetriedElsewhere() throws IOException {
    Stub slow = new Stub(Answer.of(504, "{\"code\":\"timed_out\"}"));
    Stub other = new Stub(Answer.of(200, "value"));
    Run run = kv("get", "k", "--nodes", slow.url + "," + other.url);
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("value\n");
  }

  @Test
  void eachErrorClassHasItsExitCode() throws IOException {
    assertThat(kvAgainst(Answer.of(404, "{\"code\":\"key_not_found\",\"key\":\"k\"}"), "get", "k"))
        .isEqualTo(new Run(KvCli.NOT_FOUND, "", "kv: not found: k\n"));
    assertThat(
            kvAgainst(
                Answer.of(412, "{\"code\":\"cas_failed\",\"current\":\"x\"}"),
                "cas",
                "k",
                "a",
                "b"))
        .isEqualTo(
            new Run(
                KvCli.CAS_FAILED, "", "kv: compare-and-set failed: the current value is 'x'\n"));
    assertThat(
            kvAgainst(
                    Answer.of(412, "{\"code\":\"cas_failed\",\"current\":null}"),
                    "cas",
                    "k",
                    "a",
                    "b")
                .err())
        .contains("the key is absent");
    assertThat(
            kvAgainst(
                Answer.of(400, "{\"code\":\"key_too_large\",\"message\":\"too long\"}"),
                "put",
                "k",
                "v"))
        .isEqualTo(new Run(KvCli.BAD_INPUT, "", "kv: bad input: too long\n"));
    assertThat(
            kvAgainst(
                    Answer.of(500, "{\"code\":\"rejected\",\"message\":\"boom\"}"), "put", "k", "v")
                .code())
        .isEqualTo(KvCli.FAILED);
    assertThat(kv("put", "only-a-key").code()).isEqualTo(KvCli.BAD_INPUT);
    assertThat(kv("get", "k", "--timeout", "soon").code()).isEqualTo(KvCli.BAD_INPUT);
  }

  @Test
  void keysAndExpectedValuesArePercentEncoded() throws IOException {
    Stub node = new Stub(Answer.of(200, WRITTEN));
    assertThat(kv("cas", "a/b c+é", "x+y z", "new", "--nodes", node.url).code()).isZero();
    assertThat(node.requests).containsExactly("PUT /kv/a%2Fb%20c%2B%C3%A9?prev=x%2By%20z new");
  }

  @Test
  void printsJsonAndTables() throws IOException {
    Stub node = new Stub(Answer.of(200, "v1"));
    assertThat(kv("get", "k", "-w", "json", "--nodes", node.url).out())
        .isEqualTo("{\"key\":\"k\",\"value\":\"v1\"}\n");
    assertThat(kv("-w", "table", "--nodes", node.url, "get", "k", "--stale").out())
        .isEqualTo(
            "+-----+-------+\n| KEY | VALUE |\n+-----+-------+\n| k   | v1    |\n+-----+-------+\n");
    assertThat(node.requests).endsWith("GET /kv/k?stale=true");
    Stub writer = new Stub(Answer.of(200, WRITTEN));
    assertThat(kv("put", "k", "v", "-w", "json", "--nodes", writer.url).out())
        .isEqualTo(WRITTEN + "\n");
  }

  @Test
  void statusListsEveryNodeAndLeaderNamesTheLeader() throws IOException {
    String status =
        "{\"name\":\"n1\",\"role\":\"leader\",\"term\":3,\"leader\":\"n1\","
            + "\"leaderUrl\":\"http://127.0.0.1:8001\",\"commitIndex\":9,\"lastApplied\":9}";
    Stub n1 = new Stub(Answer.of(200, status));
    int down = LocalProcessCluster.freePorts(1).get(0);
    Run table = kv("status", "-w", "table", "--nodes", n1.url + ",127.0.0.1:" + down);
    assertThat(table.code()).isZero();
    assertThat(table.out())
        .contains("| NAME | URL")
        .contains("| n1   | " + n1.url)
        .contains("| leader")
        .contains("unreachable");
    Run leader = kv("leader", "--nodes", "127.0.0.1:" + down + "," + n1.url);
    assertThat(leader.out()).isEqualTo("n1 http://127.0.0.1:8001\n");
  }

  private Run kvAgainst(Answer answer, String... args) throws IOException {
    Stub node = new Stub(answer);
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--nodes");
    all.add(node.url);
    return kv(all.toArray(String[]::new));
  }
}
