package dev.keel.examples.kv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** HTTP for the KV store's tests: no redirects followed, JSON bodies parsed, raw requests. */
final class KvTestHttp {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private KvTestHttp() {}

  /** Sends a request; {@code url} must be percent-encoded already. */
  static HttpResponse<byte[]> send(String method, String url, byte @Nullable [] body) {
    try {
      return CLIENT.send(
          HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofSeconds(20))
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(body))
              .build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + url + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The response, or null if nothing listens at {@code url}. */
  static @Nullable HttpResponse<byte[]> sendIfUp(
      String method, String url, byte @Nullable [] body) {
    try {
      return send(method, url, body);
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof ConnectException) {
        return null;
      }
      throw e;
    }
  }

  static HttpResponse<byte[]> get(String url) {
    return send("GET", url, null);
  }

  static HttpResponse<byte[]> put(String url, String value) {
    return send("PUT", url, value.getBytes(StandardCharsets.UTF_8));
  }

  static HttpResponse<byte[]> delete(String url) {
    return send("DELETE", url, null);
  }

  static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  static JsonNode json(HttpResponse<byte[]> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text(response), e);
    }
  }

  /**
   * Sends {@code requestLine} (e.g. {@code GET /kv/%ZZ HTTP/1.1}) byte for byte, for request
   * targets {@link URI} refuses; returns the whole response as text.
   */
  static String raw(String host, int port, String requestLine) {
    try (Socket socket = new Socket(host, port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          (requestLine + "\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
