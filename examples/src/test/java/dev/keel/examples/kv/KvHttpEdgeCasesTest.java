package dev.keel.examples.kv;

import static dev.keel.examples.kv.KvTestHttp.delete;
import static dev.keel.examples.kv.KvTestHttp.get;
import static dev.keel.examples.kv.KvTestHttp.json;
import static dev.keel.examples.kv.KvTestHttp.put;
import static dev.keel.examples.kv.KvTestHttp.send;
import static dev.keel.examples.kv.KvTestHttp.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.keel.examples.remote.LocalProcessCluster;
import dev.keel.raft.testkit.Await;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API's edge cases against one real node (a one-member cluster over TLS on durable
 * storage, in this JVM): absent keys, empty values, escaped and non-ASCII keys, invalid UTF-8, size
 * limits, unknown paths and methods, concurrent compare-and-set. Redirects and elections are {@link
 * KvStoreClusterTest}'s.
 */
class KvHttpEdgeCasesTest {

  @TempDir static Path dir;

  private static KvStoreNode node;
  private static String url;
  private static int httpPort;

  @BeforeAll
  static void startNode() throws Exception {
    TlsDir.init(dir.resolve("tls"), List.of("n1"), List.of("127.0.0.1"), Duration.ofDays(1));
    List<Integer> ports = LocalProcessCluster.freePorts(2);
    httpPort = ports.get(1);
    KvNodeOptions options =
        KvNodeOptions.of(
            "n1",
            ports.get(0),
            httpPort,
            dir.resolve("data"),
            "n1@127.0.0.1:" + ports.get(0),
            dir.resolve("tls"),
            "127.0.0.1");
    node = KvStoreNode.start(options, ConfigFactory.empty());
    url = node.httpUrl();
    Await.until(
        "n1 leads",
        Duration.ofSeconds(60),
        () -> json(get(url + "/_status")).path("role").asText().equals("leader"));
  }

  @AfterAll
  static void stopNode() throws Exception {
    node.stop().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  void anAbsentKeyIs404WithAJsonErrorBody() {
    HttpResponse<byte[]> response = get(url + "/kv/never-written");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(json(response).path("code").asText()).isEqualTo("key_not_found");
    assertThat(json(response).path("key").asText()).isEqualTo("never-written");
    assertThat(get(url + "/kv/never-written?stale=true").statusCode()).isEqualTo(404);
  }

  @Test
  void anEmptyValueIsStoredAndReadBackAsAnEmptyBody() {
    HttpResponse<byte[]> written = put(url + "/kv/empty", "");
    assertThat(written.statusCode()).isEqualTo(200);
    assertThat(json(written).path("key").asText()).isEqualTo("empty");
    assertThat(json(written).path("index").asLong()).isPositive();
    assertThat(json(written).path("previous").isNull()).isTrue();
    HttpResponse<byte[]> read = get(url + "/kv/empty");
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).isEmpty();
    assertThat(read.headers().firstValue("Content-Type")).hasValue("text/plain; charset=UTF-8");
  }

  @Test
  void escapedAndNonAsciiKeysRoundTrip() {
    for (String key : List.of("a/b", "a b", "a+b", "héllo wörld ✓", "日本語", "%41", "?&=#")) {
      String encoded = URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
      assertThat(put(url + "/kv/" + encoded, "value of " + key).statusCode())
          .as(key)
          .isEqualTo(200);
      HttpResponse<byte[]> read = get(url + "/kv/" + encoded);
      assertThat(text(read)).as(key).isEqualTo("value of " + key);
    }
    assertThat(text(get(url + "/kv/a/b"))).isEqualTo("value of a/b"); // an unescaped slash
    assertThat(text(get(url + "/kv/a+b"))).isEqualTo("value of a+b"); // + in a path is a plus
    assertThat(text(get(url + "/kv/h%C3%A9llo%20w%C3%B6rld%20%E2%9C%93")))
        .isEqualTo("value of héllo wörld ✓");
  }

  @Test
  void compareAndSetTakesTheExpectedValueFormEncoded() {
    put(url + "/kv/form", "x y+z ✓");
    HttpResponse<byte[]> failed = put(url + "/kv/form?prev=x%20y%20z", "new");
    assertThat(failed.statusCode()).isEqualTo(412);
    assertThat(json(failed).path("code").asText()).isEqualTo("cas_failed");
    assertThat(json(failed).path("current").asText()).isEqualTo("x y+z ✓");
    HttpResponse<byte[]> done = put(url + "/kv/form?prev=x+y%2Bz+%E2%9C%93", "new");
    assertThat(done.statusCode()).isEqualTo(200);
    assertThat(json(done).path("previous").asText()).isEqualTo("x y+z ✓");
    assertThat(text(get(url + "/kv/form"))).isEqualTo("new");
  }

  @Test
  void compareAndSetOnAnAbsentKeyFailsAndDeleteOfOneSucceeds() {
    HttpResponse<byte[]> cas = put(url + "/kv/absent-cas?prev=", "v");
    assertThat(cas.statusCode()).isEqualTo(412);
    assertThat(json(cas).path("current").isNull()).isTrue();
    HttpResponse<byte[]> deleted = delete(url + "/kv/absent-delete");
    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(json(deleted).path("previous").isNull()).isTrue();
  }

  @Test
  void invalidUtf8InTheKeyTheValueOrPrevIs400() {
    assertError(get(url + "/kv/%FF%FE"), 400, "invalid_utf8");
    assertError(put(url + "/kv/%C3", "v"), 400, "invalid_utf8");
    assertError(
        send("PUT", url + "/kv/ok", new byte[] {'a', (byte) 0xC3, '(', 'b'}), 400, "invalid_utf8");
    assertError(put(url + "/kv/ok?prev=%E2%82", "v"), 400, "invalid_utf8");
    assertThat(get(url + "/kv/ok").statusCode()).isEqualTo(404);
  }

  @Test
  void malformedRequestTargetsGetAJsonErrorBodyToo() {
    String response = KvTestHttp.raw("127.0.0.1", httpPort, "GET /kv/%ZZ HTTP/1.1");
    assertThat(response).startsWith("HTTP/1.1 400").contains("\"code\":\"bad_request\"");
    String control = KvTestHttp.raw("127.0.0.1", httpPort, "GET /kv/a%0Ab HTTP/1.1");
    assertThat(control).startsWith("HTTP/1.1 400").contains("\"code\":\"bad_key\"");
  }

  @Test
  void oversizedKeysAndBodiesAre400AndTheLimitsThemselvesWork() {
    String longestKey = "k".repeat(KvRequest.MAX_KEY_BYTES);
    assertThat(put(url + "/kv/" + longestKey, "v").statusCode()).isEqualTo(200);
    assertError(put(url + "/kv/" + longestKey + "k", "v"), 400, "key_too_large");

    String largestValue = "v".repeat(KvRequest.MAX_VALUE_BYTES);
    assertThat(put(url + "/kv/large", largestValue).statusCode()).isEqualTo(200);
    assertThat(text(get(url + "/kv/large"))).isEqualTo(largestValue);
    HttpResponse<byte[]> tooLarge = put(url + "/kv/large", largestValue + "v");
    assertError(tooLarge, 400, "value_too_large");
    assertThat(json(tooLarge).path("limit").asInt()).isEqualTo(KvRequest.MAX_VALUE_BYTES);
    assertError(send("PUT", url + "/kv/huge", new byte[1 << 20]), 400, "value_too_large");
    assertThat(text(get(url + "/kv/large"))).isEqualTo(largestValue);
  }

  @Test
  void unknownPathsAre404AndUnsupportedMethods405() {
    for (String path : List.of("/", "/kv", "/keys/a", "/_status/more", "/kv2/a")) {
      assertError(get(url + path), 404, "not_found");
    }
    for (String method : List.of("POST", "PATCH", "OPTIONS")) {
      HttpResponse<byte[]> response = send(method, url + "/kv/a", new byte[0]);
      assertError(response, 405, "method_not_allowed");
      assertThat(response.headers().firstValue("Allow")).hasValue("GET, PUT, DELETE");
    }
    assertError(send("PUT", url + "/_status", new byte[0]), 405, "method_not_allowed");
    assertError(get(url + "/kv/a?consistency=strong"), 400, "bad_request");
  }

  @Test
  void concurrentCompareAndSetOnOneKeyHasExactlyOneWinner() throws Exception {
    put(url + "/kv/contended", "v0");
    int writers = 12;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<HttpResponse<byte[]>>> answers = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        String value = "w" + i;
        answers.add(
            pool.submit(
                () -> {
                  start.await();
                  return put(url + "/kv/contended?prev=v0", value);
                }));
      }
      start.countDown();
      List<Integer> statuses = new ArrayList<>();
      String winner = null;
      for (int i = 0; i < writers; i++) {
        HttpResponse<byte[]> answer = answers.get(i).get(60, TimeUnit.SECONDS);
        statuses.add(answer.statusCode());
        if (answer.statusCode() == 200) {
          winner = "w" + i;
        }
      }
      assertThat(statuses).containsOnly(200, 412).filteredOn(s -> s == 200).hasSize(1);
      assertThat(text(get(url + "/kv/contended"))).isEqualTo(winner);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void staleReadsAndStatusAnswerOnTheLeaderToo() {
    put(url + "/kv/fresh", "1");
    assertThat(text(get(url + "/kv/fresh?stale=true"))).isEqualTo("1");
    JsonNode status = json(get(url + "/_status"));
    assertThat(status.path("name").asText()).isEqualTo("n1");
    assertThat(status.path("role").asText()).isEqualTo("leader");
    assertThat(status.path("leader").asText()).isEqualTo("n1");
    assertThat(status.path("leaderUrl").asText()).isEqualTo(url);
    assertThat(status.path("term").asLong()).isPositive();
    assertThat(status.path("commitIndex").asLong()).isPositive();
    assertThat(status.path("lastApplied").asLong()).isPositive();
    assertThat(status.path("members").toString()).isEqualTo("[\"n1\"]");
  }

  private static void assertError(HttpResponse<byte[]> response, int status, String code) {
    assertThat(response.statusCode()).as(text(response)).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(json(response).path("code").asText()).as(text(response)).isEqualTo(code);
    assertThat(json(response).path("message").asText()).isNotEmpty();
  }
}
