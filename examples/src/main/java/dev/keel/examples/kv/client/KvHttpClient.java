package dev.keel.examples.kv.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Sends one request to the cluster and returns the answer that settles it. Tries the nodes in
 * order; follows {@code 307} to the leader; on {@code 503} or a node that cannot be reached (the
 * request was not proposed) waits briefly and tries the next node, until the deadline. A write
 * whose connection breaks after it was sent, or that gets no answer in time, may have taken effect:
 * that is {@link KvCli#UNKNOWN_OUTCOME}, never retried.
 */
final class KvHttpClient {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration MIN_PAUSE = Duration.ofMillis(100);
  private static final Duration MAX_PAUSE = Duration.ofSeconds(1);
  private static final int MAX_REDIRECTS = 10;

  private final List<String> nodes;
  private final Duration timeout;
  private final HttpClient http;

  /**
   * A client of the given nodes.
   *
   * @param nodes base URLs, e.g. {@code http://127.0.0.1:8001}, tried in order
   * @param timeout how long a command may take in all, retries included
   */
  KvHttpClient(List<String> nodes, Duration timeout) {
    this.nodes = List.copyOf(nodes);
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(CONNECT_TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /** The nodes' base URLs, in the order they are tried. */
  List<String> nodes() {
    return nodes;
  }

  /**
   * An answer.
   *
   * @param status the HTTP status
   * @param body the body
   * @param node the URL that answered
   */
  record Answer(int status, byte[] body, String node) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /**
   * Sends {@code method target} until an answer settles it.
   *
   * @param target path and query, e.g. {@code /kv/a?prev=1}
   * @param body the request body, or null
   * @param write whether the request changes state (then it is never resent once it may have been
   *     received)
   * @throws CliFailure {@link KvCli#UNAVAILABLE} at the deadline, {@link KvCli#UNKNOWN_OUTCOME} for
   *     a write that may have taken effect
   */
  Answer send(String method, String target, byte @Nullable [] body, boolean write)
      throws CliFailure {
    Tries tries = new Tries(target);
    while (true) {
      HttpResponse<byte[]> response = attempt(method, tries, body, write);
      if (response == null) {
        continue; // not proposed: the next node, after a pause
      }
      int status = response.statusCode();
      Optional<String> location = response.headers().firstValue("Location");
      if (status == 307 && location.isPresent() && tries.redirects++ < MAX_REDIRECTS) {
        tries.last = tries.url + " redirected to " + location.get();
        tries.url = location.get();
      } else if (status == 503 || (status == 504 && !write)) {
        tries.next(tries.url + ": " + status + " " + message(response.body()));
      } else {
        return new Answer(status, response.body(), tries.url);
      }
    }
  }

  /** One try: the response, or null if the request was certainly not proposed and may go again. */
  private @Nullable HttpResponse<byte[]> attempt(
      String method, Tries tries, byte @Nullable [] body, boolean write) throws CliFailure {
    long remaining = tries.deadline - System.nanoTime();
    if (remaining <= 0) {
      throw new CliFailure(
          KvCli.UNAVAILABLE, "unavailable: no answer within " + timeout + " (" + tries.last + ")");
    }
    try {
      return http.send(
          request(method, tries.url, body, remaining), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpConnectTimeoutException | ConnectException e) {
      tries.next(tries.url + ": cannot connect");
      return null;
    } catch (IOException e) {
      if (write) {
        throw new CliFailure(
            KvCli.UNKNOWN_OUTCOME,
            "outcome unknown: "
                + tries.url
                + (e instanceof HttpTimeoutException ? " did not answer in time" : " failed: " + e)
                + "; the write may or may not have taken effect");
      }
      tries.next(tries.url + ": " + e);
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliFailure(KvCli.UNAVAILABLE, "interrupted");
    }
  }

  /** Where one request stands: the next URL, the deadline, what went wrong last. */
  private final class Tries {
    final String target;
    final long deadline = System.nanoTime() + timeout.toNanos();
    int node;
    int redirects;
    int failuresInARow;
    String url;
    String last = "no node was tried";

    Tries(String target) {
      this.target = target;
      this.url = nodes.get(0) + target;
    }

    /** Moves on to the next node after a pause: longer after each failure, never past the end. */
    void next(String why) throws CliFailure {
      last = why;
      node++;
      url = nodes.get(node % nodes.size()) + target;
      failuresInARow++;
      long pause =
          Math.min(MAX_PAUSE.toNanos(), MIN_PAUSE.toNanos() << Math.min(failuresInARow - 1, 4));
      pause = Math.min(pause, deadline - System.nanoTime());
      if (pause <= 0) {
        return;
      }
      try {
        Thread.sleep(pause / 1_000_000, (int) (pause % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliFailure(KvCli.UNAVAILABLE, "interrupted");
      }
    }
  }

  /** One {@code GET} to one node, no retries: for status queries. */
  Answer getOnce(String node, String target, Duration attemptTimeout) throws IOException {
    try {
      HttpResponse<byte[]> response =
          http.send(
              request("GET", node + target, null, attemptTimeout.toNanos()),
              HttpResponse.BodyHandlers.ofByteArray());
      return new Answer(response.statusCode(), response.body(), node);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** The {@code message} of a JSON error body, or the body itself. */
  static String message(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    try {
      String message = Json.MAPPER.readTree(text).path("message").asText("");
      return message.isEmpty() ? text : message;
    } catch (IOException e) {
      return text;
    }
  }

  /**
   * {@code text} percent-encoded for a path segment or query value: everything but RFC 3986's
   * unreserved characters is escaped, so {@code /}, {@code +}, spaces and non-ASCII survive.
   */
  static String encode(String text) {
    StringBuilder encoded = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        encoded.append((char) c);
      } else {
        encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        encoded.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return encoded.toString();
  }

  private static HttpRequest request(
      String method, String url, byte @Nullable [] body, long remainingNanos) {
    Duration attempt = Duration.ofNanos(Math.min(remainingNanos, ATTEMPT_TIMEOUT.toNanos()));
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(attempt.isZero() ? Duration.ofMillis(1) : attempt)
        .method(
            method,
            body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }
}
