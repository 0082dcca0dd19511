package dev.keel.examples.kv;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawRequestURI;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How {@link KvHttpApi} turns each {@link RaftReply} into a status code, against a peer that gives
 * a chosen answer. The answers a real cluster gives on demand (200, 307, 404, 412, 503) are covered
 * end to end by {@code KvStoreClusterTest} and {@code KvHttpEdgeCasesTest}; these are the ones it
 * gives only by accident of timing: {@code TimedOut} for a write (504, outcome unknown), no answer
 * at all, and a leader whose HTTP URL is not known yet.
 */
class KvHttpApiRepliesTest {

  private static final Duration ASK = Duration.ofMillis(300);

  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aWriteAnsweredTimedOutIs504OutcomeUnknown() throws Exception {
    HttpResponse response = send(peerAnswering(new RaftReply.TimedOut<>()), put("/kv/k", "v"));
    assertThat(response.status().intValue()).isEqualTo(504);
    assertThat(json(response).path("code").asText()).isEqualTo("outcome_unknown");
    response =
        send(peerAnswering(new RaftReply.TimedOut<>()), request(HttpMethods.DELETE, "/kv/k"));
    assertThat(json(response).path("code").asText()).isEqualTo("outcome_unknown");
  }

  @Test
  void aWriteThePeerNeverAnswersIs504OutcomeUnknown() throws Exception {
    HttpResponse response = send(peerAnswering(null), put("/kv/k?prev=a", "b"));
    assertThat(response.status().intValue()).isEqualTo(504);
    assertThat(json(response).path("code").asText()).isEqualTo("outcome_unknown");
  }

  @Test
  void aReadThatTimedOutIs504TimedOutWhichIsSafeToRetry() throws Exception {
    HttpResponse response =
        send(peerAnswering(new RaftReply.TimedOut<>()), request(HttpMethods.GET, "/kv/k"));
    assertThat(response.status().intValue()).isEqualTo(504);
    assertThat(json(response).path("code").asText()).isEqualTo("timed_out");
  }

  @Test
  void noLeaderIs503WithRetryAfter() throws Exception {
    HttpResponse response = send(peerAnswering(new RaftReply.NoLeader<>()), put("/kv/k", "v"));
    assertThat(response.status().intValue()).isEqualTo(503);
    assertThat(response.getHeader("Retry-After").map(h -> h.value())).hasValue("1");
    assertThat(json(response).path("code").asText()).isEqualTo("no_leader");
  }

  @Test
  void aLeaderWhoseUrlIsUnknownIs503NamingIt() throws Exception {
    HttpResponse response =
        send(peerAnswering(new RaftReply.NotLeader<>("n9", null)), put("/kv/k", "v"));
    assertThat(response.status().intValue()).isEqualTo(503);
    assertThat(response.getHeader(KvHttpApi.LEADER_HEADER).map(h -> h.value())).hasValue("n9");
    assertThat(json(response).path("code").asText()).isEqualTo("leader_url_unknown");
  }

  @Test
  void aRejectedCommandIs500() throws Exception {
    HttpResponse response =
        send(peerAnswering(new RaftReply.Rejected<>("refused")), put("/kv/k", "v"));
    assertThat(response.status().intValue()).isEqualTo(500);
    assertThat(json(response).path("code").asText()).isEqualTo("rejected");
  }

  /** A peer that answers every write and read with {@code reply}, or never if it is null. */
  private static ActorRef<RaftPeer.Command> peerAnswering(
      @Nullable RaftReply<KvStore.Result> reply) {
    Behavior<RaftPeer.Command> behavior =
        Behaviors.receiveMessage(
            command -> {
              if (reply != null && command instanceof RaftPeer.Write<?, ?> write) {
                answer(write.replyTo(), reply);
              } else if (reply != null && command instanceof RaftPeer.Read<?, ?> read) {
                answer(read.replyTo(), reply);
              }
              return Behaviors.same();
            });
    return testKit.spawn(behavior);
  }

  @SuppressWarnings("unchecked")
  private static void answer(ActorRef<?> replyTo, RaftReply<KvStore.Result> reply) {
    ((ActorRef<RaftReply<KvStore.Result>>) replyTo).tell(reply);
  }

  private static HttpResponse send(ActorRef<RaftPeer.Command> peer, HttpRequest request)
      throws Exception {
    MemberUrls urls = new MemberUrls(testKit.system(), "kv", "n1", "http://127.0.0.1:1", Map.of());
    KvHttpApi api = new KvHttpApi(testKit.system(), peer, urls, ASK);
    return api.apply(request).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static HttpRequest put(String target, String body) {
    return request(HttpMethods.PUT, target).withEntity(body.getBytes(StandardCharsets.UTF_8));
  }

  private static HttpRequest request(HttpMethod method, String target) {
    return HttpRequest.create(target).withMethod(method).addHeader(RawRequestURI.create(target));
  }

  private static JsonNode json(HttpResponse response) throws Exception {
    byte[] body =
        response
            .entity()
            .toStrict(5_000, testKit.system())
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS)
            .getData()
            .toArray();
    return Problem.JSON.readTree(body);
  }
}
