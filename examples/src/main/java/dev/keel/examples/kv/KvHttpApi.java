package dev.keel.examples.kv;

import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawRequestURI;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.jspecify.annotations.Nullable;

/**
 * The KV store's HTTP API on one node (README, "HTTP API"): parses each request ({@link
 * KvRequest}), asks the node's own {@link RaftPeer} and turns its {@link RaftReply} into a
 * response. Writes and linearizable reads that reach a follower are redirected to the leader's HTTP
 * URL ({@code 307}); nothing is proposed then, nor on {@code 503}, so clients may retry those.
 */
final class KvHttpApi implements Function<HttpRequest, CompletionStage<HttpResponse>> {

  /** The leader's name, on 307 and on 503 {@code leader_url_unknown}. */
  static final String LEADER_HEADER = "X-Keel-Leader";

  private final ActorSystem<?> system;
  private final ActorRef<RaftPeer.Command> peer;
  private final MemberUrls urls;
  private final Duration askTimeout;
  private final Executor executor;

  /**
   * The API of the node whose peer is {@code peer}.
   *
   * @param askTimeout how long to wait for the peer; above {@code keel.raft.request-timeout}, so
   *     the peer's own answer comes first
   */
  KvHttpApi(
      ActorSystem<?> system,
      ActorRef<RaftPeer.Command> peer,
      MemberUrls urls,
      Duration askTimeout) {
    this.system = system;
    this.peer = peer;
    this.urls = urls;
    this.askTimeout = askTimeout;
    // Every callback runs on the actor system's dispatcher, never on the common ForkJoinPool.
    this.executor = system.executionContext();
  }

  @Override
  public CompletionStage<HttpResponse> apply(HttpRequest request) {
    String target = request.getHeader(RawRequestURI.class).map(RawRequestURI::uri).orElse("/");
    KvRequest parsed;
    try {
      parsed = KvRequest.parse(request.method().value(), target);
    } catch (Problem.Raised e) {
      request.discardEntityBytes(system);
      return done(e.problem().toResponse());
    }
    if (parsed instanceof KvRequest.PutValue put) {
      return request
          .entity()
          .withSizeLimit(KvRequest.MAX_VALUE_BYTES)
          .toStrict(askTimeout.toMillis(), system)
          .handleAsync((body, failure) -> put(put, body, failure, target), executor)
          .thenCompose(Function.identity());
    }
    request.discardEntityBytes(system);
    if (parsed instanceof KvRequest.GetValue get) {
      return get(get, target);
    }
    if (parsed instanceof KvRequest.DeleteValue delete) {
      return write(new KvStore.Delete(delete.key()), target);
    }
    return status();
  }

  private CompletionStage<HttpResponse> put(
      KvRequest.PutValue put,
      HttpEntity.@Nullable Strict body,
      @Nullable Throwable failure,
      String target) {
    if (body == null) {
      Problem problem =
          sizeExceeded(failure)
              ? Problem.badRequest(
                      "value_too_large",
                      "the value is larger than " + KvRequest.MAX_VALUE_BYTES + " bytes of UTF-8")
                  .with("limit", KvRequest.MAX_VALUE_BYTES)
              : Problem.badRequest("bad_request", "the request body could not be read");
      return done(problem.toResponse());
    }
    String value;
    try {
      value = KvRequest.value(body.getData().toArray());
    } catch (Problem.Raised e) {
      return done(e.problem().toResponse());
    }
    String prev = put.prev();
    return write(
        prev == null
            ? new KvStore.Put(put.key(), value)
            : new KvStore.CompareAndSet(put.key(), prev, value),
        target);
  }

  private CompletionStage<HttpResponse> write(KvStore.Command command, String target) {
    return AskPattern.<RaftPeer.Command, RaftReply<KvStore.Result>>ask(
            peer,
            replyTo -> new RaftPeer.Write<KvStore.Command, KvStore.Result>(command, replyTo),
            askTimeout,
            system.scheduler())
        .handleAsync(
            (reply, failure) ->
                answer(reply, true, target, ok -> written(command, ok.result(), ok.index())),
            executor)
        .thenCompose(Function.identity());
  }

  private HttpResponse written(KvStore.Command command, KvStore.Result result, long index) {
    if (!result.applied()) {
      return Problem.of(
              412,
              "cas_failed",
              "the key does not hold the expected value (prev); nothing was written")
          .with("key", command.key())
          .with("current", result.value())
          .toResponse();
    }
    Map<String, @Nullable Object> body = new LinkedHashMap<>();
    body.put("key", command.key());
    body.put("index", index);
    body.put("previous", result.value());
    return HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, Problem.json(body));
  }

  private CompletionStage<HttpResponse> get(KvRequest.GetValue get, String target) {
    RaftPeer.ReadConsistency consistency =
        get.stale() ? RaftPeer.ReadConsistency.LOCAL : RaftPeer.ReadConsistency.LINEARIZABLE;
    return AskPattern.<RaftPeer.Command, RaftReply<KvStore.Result>>ask(
            peer,
            replyTo ->
                new RaftPeer.Read<KvStore.Get, KvStore.Result>(
                    new KvStore.Get(get.key()), consistency, replyTo),
            askTimeout,
            system.scheduler())
        .handleAsync(
            (reply, failure) ->
                answer(
                    reply,
                    false,
                    target,
                    ok -> {
                      String value = ok.result().value();
                      return value == null
                          ? Problem.of(404, "key_not_found", "no such key")
                              .with("key", get.key())
                              .toResponse()
                          : HttpResponse.create()
                              .withEntity(
                                  ContentTypes.TEXT_PLAIN_UTF8,
                                  value.getBytes(StandardCharsets.UTF_8));
                    }),
            executor)
        .thenCompose(Function.identity());
  }

  /** Maps a peer's answer (null if it gave none in time); {@code ok} renders success. */
  private CompletionStage<HttpResponse> answer(
      @Nullable RaftReply<KvStore.Result> reply,
      boolean write,
      String target,
      Function<RaftReply.Ok<KvStore.Result>, HttpResponse> ok) {
    if (reply instanceof RaftReply.Ok<KvStore.Result> success) {
      return done(ok.apply(success));
    }
    if (reply instanceof RaftReply.NotLeader<KvStore.Result> notLeader) {
      return redirect(notLeader.leaderId(), target);
    }
    if (reply instanceof RaftReply.NoLeader) {
      return done(
          Problem.of(
                  503,
                  "no_leader",
                  "no leader is known (an election is under way); nothing was proposed, retry")
              .withHeader("Retry-After", "1")
              .toResponse());
    }
    if (reply instanceof RaftReply.Rejected<KvStore.Result> rejected) {
      return done(Problem.of(500, "rejected", rejected.reason()).toResponse());
    }
    // TimedOut, or no answer from the local peer in time.
    return done(
        write
            ? Problem.of(
                    504,
                    "outcome_unknown",
                    "the write was proposed but its outcome is not known in time; it may or may"
                        + " not take effect: read the key before retrying")
                .toResponse()
            : Problem.of(504, "timed_out", "the read did not complete in time; retry")
                .toResponse());
  }

  private CompletionStage<HttpResponse> redirect(String leader, String target) {
    return urls.lookup(leader)
        .thenApplyAsync(
            url ->
                url.map(
                        base ->
                            Problem.of(
                                    307,
                                    "not_leader",
                                    "this node is not the leader; "
                                        + leader
                                        + " is: send the request there")
                                .with("leader", leader)
                                .with("location", base + target)
                                .withHeader("Location", base + target)
                                .withHeader(LEADER_HEADER, leader)
                                .toResponse())
                    .orElseGet(
                        () ->
                            Problem.of(
                                    503,
                                    "leader_url_unknown",
                                    leader
                                        + " leads but does not tell its HTTP URL yet;"
                                        + " nothing was proposed, retry")
                                .with("leader", leader)
                                .withHeader(LEADER_HEADER, leader)
                                .withHeader("Retry-After", "1")
                                .toResponse()),
            executor);
  }

  private CompletionStage<HttpResponse> status() {
    return AskPattern.<RaftPeer.Command, PeerStatus>ask(
            peer, RaftPeer.GetStatus::new, askTimeout, system.scheduler())
        .handleAsync(
            (status, failure) ->
                status == null
                    ? Problem.of(503, "unavailable", "the node's Raft peer does not answer")
                        .withHeader("Retry-After", "1")
                        .toResponse()
                    : HttpResponse.create()
                        .withEntity(
                            ContentTypes.APPLICATION_JSON, Problem.json(statusJson(status))),
            executor);
  }

  private Map<String, @Nullable Object> statusJson(PeerStatus status) {
    Map<String, @Nullable Object> json = new LinkedHashMap<>();
    String leader = status.leader();
    json.put("name", status.name());
    json.put("role", status.role().name().toLowerCase(Locale.ROOT));
    json.put("term", status.term());
    json.put("leader", leader);
    json.put("leaderUrl", leader == null ? null : urls.cached(leader).orElse(null));
    json.put("commitIndex", status.commitIndex());
    json.put("lastApplied", status.lastApplied());
    json.put("lastLogIndex", status.lastLogIndex());
    json.put("members", status.members());
    json.put("urls", urls.known());
    return json;
  }

  private static boolean sizeExceeded(@Nullable Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof EntityStreamSizeException) {
        return true;
      }
    }
    return false;
  }

  private static CompletionStage<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
