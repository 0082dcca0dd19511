package dev.keel.examples.kv;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.jspecify.annotations.Nullable;

/**
 * An answer other than a successful read: an HTTP status, a stable error {@code code} clients can
 * branch on, a message for people, optional fields and headers. Rendered as a JSON body {@code
 * {"code": ..., "message": ..., ...fields}}. The codes are listed in the README.
 *
 * @param status the HTTP status code
 * @param code the stable error code
 * @param message what happened, for people
 * @param fields more JSON fields (e.g. the leader's name), in order
 * @param headers more response headers (e.g. {@code Retry-After})
 */
record Problem(
    int status,
    String code,
    String message,
    Map<String, @Nullable Object> fields,
    List<HttpHeader> headers) {

  /** Shared: an {@link ObjectMapper} is thread-safe once configured. */
  static final ObjectMapper JSON = new ObjectMapper();

  Problem {
    fields = new LinkedHashMap<>(fields);
    headers = List.copyOf(headers);
  }

  /** A problem without extra fields or headers. */
  static Problem of(int status, String code, String message) {
    return new Problem(status, code, message, Map.of(), List.of());
  }

  /** 400 with {@code code}: the request is malformed and must not be retried unchanged. */
  static Problem badRequest(String code, String message) {
    return of(400, code, message);
  }

  /** This problem with one more JSON field. */
  Problem with(String field, @Nullable Object value) {
    Map<String, @Nullable Object> more = new LinkedHashMap<>(fields);
    more.put(field, value);
    return new Problem(status, code, message, more, headers);
  }

  /** This problem with one more response header. */
  Problem withHeader(String name, String value) {
    List<HttpHeader> more = new ArrayList<>(headers);
    more.add(HttpHeader.parse(name, value));
    return new Problem(status, code, message, fields, more);
  }

  /** The HTTP response. */
  HttpResponse toResponse() {
    ObjectNode body = JSON.createObjectNode();
    body.put("code", code);
    body.put("message", message);
    fields.forEach((name, value) -> body.set(name, JSON.valueToTree(value)));
    return HttpResponse.create()
        .withStatus(StatusCodes.get(status))
        .addHeaders(headers)
        .withEntity(ContentTypes.APPLICATION_JSON, json(body));
  }

  /** {@code value} as JSON bytes. */
  static byte[] json(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("maps, strings and numbers always serialize", e);
    }
  }

  /** A thrown {@link Problem}, for parsing code that answers early. */
  static final class Raised extends Exception {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // never serialized: thrown and caught within one request
    private final Problem problem;

    Raised(Problem problem) {
      super(problem.code() + ": " + problem.message(), null, false, false);
      this.problem = problem;
    }

    Problem problem() {
      return problem;
    }
  }
}
