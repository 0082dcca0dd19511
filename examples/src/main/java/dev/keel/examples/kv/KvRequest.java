package dev.keel.examples.kv;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a client asked the KV API for, parsed from the method and the request target exactly as
 * sent. Keys, values and {@code prev} are UTF-8; the key is everything after {@code /kv/},
 * percent-decoded ({@code /} and non-ASCII characters may be escaped; {@code +} in the path is a
 * plus). Query values are decoded as forms encode them: {@code +} is a space, {@code %2B} a plus.
 *
 * <p>Limits: keys 1–{@value #MAX_KEY_BYTES} bytes of UTF-8 without control characters; values and
 * {@code prev} at most {@value #MAX_VALUE_BYTES} bytes of UTF-8 (empty allowed).
 */
sealed interface KvRequest {

  /** Longest key, in UTF-8 bytes. */
  int MAX_KEY_BYTES = 1024;

  /** Longest value (and {@code prev}), in UTF-8 bytes. */
  int MAX_VALUE_BYTES = 64 * 1024;

  /**
   * {@code GET /kv/{key}}.
   *
   * @param key the key
   * @param stale whether a local (possibly stale) read is enough
   */
  record GetValue(String key, boolean stale) implements KvRequest {}

  /**
   * {@code PUT /kv/{key}}, with {@code ?prev=} a compare-and-set.
   *
   * @param key the key
   * @param prev the value the key must hold, or null for an unconditional put
   */
  record PutValue(String key, @Nullable String prev) implements KvRequest {}

  /**
   * {@code DELETE /kv/{key}}.
   *
   * @param key the key
   */
  record DeleteValue(String key) implements KvRequest {}

  /** {@code GET /_status}. */
  record Status() implements KvRequest {}

  /**
   * Parses a request.
   *
   * @param method the HTTP method
   * @param target the request target as sent (origin form {@code /path?query}, or absolute form)
   * @throws Problem.Raised with 404 for an unknown path, 405 for a method the path does not
   *     support, 400 for a bad key, parameter or encoding
   */
  static KvRequest parse(String method, String target) throws Problem.Raised {
    String pathAndQuery = originForm(target);
    int question = pathAndQuery.indexOf('?');
    String path = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
    String query = question < 0 ? "" : pathAndQuery.substring(question + 1);
    if (path.equals("/_status")) {
      requireMethod(method, Set.of("GET"), "GET");
      return new Status();
    }
    if (!path.startsWith("/kv/")) {
      throw new Problem.Raised(
          Problem.of(
              404, "not_found", "no such resource: " + path + " (try /kv/{key} or /_status)"));
    }
    requireMethod(method, Set.of("GET", "PUT", "DELETE"), "GET, PUT, DELETE");
    String key = key(path.substring("/kv/".length()));
    Map<String, String> parameters = parameters(query);
    return switch (method) {
      case "GET" -> {
        allowOnly(parameters, "stale", method);
        yield new GetValue(key, stale(parameters.get("stale")));
      }
      case "PUT" -> {
        allowOnly(parameters, "prev", method);
        String prev = parameters.get("prev");
        if (prev != null) {
          checkValueSize(prev.getBytes(StandardCharsets.UTF_8).length, "prev");
        }
        yield new PutValue(key, prev);
      }
      default -> {
        allowOnly(parameters, "", method);
        yield new DeleteValue(key);
      }
    };
  }

  /**
   * A request body as a value.
   *
   * @throws Problem.Raised 400 {@code value_too_large} or {@code invalid_utf8}
   */
  static String value(byte[] body) throws Problem.Raised {
    checkValueSize(body.length, "the value");
    return utf8(body, "the value");
  }

  private static void checkValueSize(int bytes, String what) throws Problem.Raised {
    if (bytes > MAX_VALUE_BYTES) {
      throw new Problem.Raised(
          Problem.badRequest(
                  "value_too_large",
                  what + " is larger than " + MAX_VALUE_BYTES + " bytes of UTF-8")
              .with("limit", MAX_VALUE_BYTES));
    }
  }

  private static String originForm(String target) {
    int scheme = target.indexOf("://");
    if (target.startsWith("/") || scheme < 0) {
      return target;
    }
    int path = target.indexOf('/', scheme + 3);
    return path < 0 ? "/" : target.substring(path);
  }

  private static void requireMethod(String method, Set<String> allowed, String allow)
      throws Problem.Raised {
    if (!allowed.contains(method)) {
      throw new Problem.Raised(
          Problem.of(405, "method_not_allowed", method + " is not supported here; use " + allow)
              .withHeader("Allow", allow));
    }
  }

  private static String key(String encoded) throws Problem.Raised {
    String key = utf8(percentDecode(encoded, false), "the key");
    if (key.isEmpty()) {
      throw new Problem.Raised(Problem.badRequest("bad_key", "the key is empty: use /kv/{key}"));
    }
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw new Problem.Raised(
          Problem.badRequest(
                  "key_too_large", "the key is longer than " + MAX_KEY_BYTES + " bytes of UTF-8")
              .with("limit", MAX_KEY_BYTES));
    }
    if (key.codePoints().anyMatch(Character::isISOControl)) {
      throw new Problem.Raised(
          Problem.badRequest("bad_key", "the key contains a control character"));
    }
    return key;
  }

  private static Map<String, String> parameters(String query) throws Problem.Raised {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (query.isEmpty()) {
      return parameters;
    }
    for (String pair : query.split("&", -1)) {
      int equals = pair.indexOf('=');
      String name =
          utf8(percentDecode(equals < 0 ? pair : pair.substring(0, equals), true), "a name");
      String value = equals < 0 ? "" : utf8(percentDecode(pair.substring(equals + 1), true), name);
      if (parameters.put(name, value) != null) {
        throw new Problem.Raised(
            Problem.badRequest("bad_request", "query parameter '" + name + "' given twice"));
      }
    }
    return parameters;
  }

  private static void allowOnly(Map<String, String> parameters, String allowed, String method)
      throws Problem.Raised {
    for (String name : parameters.keySet()) {
      if (!name.equals(allowed)) {
        throw new Problem.Raised(
            Problem.badRequest(
                "bad_request",
                "unknown query parameter '"
                    + name
                    + "' for "
                    + method
                    + (allowed.isEmpty() ? " (it takes none)" : " (it takes " + allowed + ")")));
      }
    }
  }

  private static boolean stale(@Nullable String value) throws Problem.Raised {
    if (value == null || value.equals("false")) {
      return false;
    }
    if (value.equals("true") || value.isEmpty()) {
      return true;
    }
    throw new Problem.Raised(
        Problem.badRequest("bad_request", "stale must be true or false, was '" + value + "'"));
  }

  /** Decodes %XX escapes to bytes; other characters stand for their UTF-8 bytes. */
  private static byte[] percentDecode(String text, boolean plusIsSpace) throws Problem.Raised {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
        int low = high < 0 ? -1 : Character.digit(text.charAt(i + 2), 16);
        if (low < 0) {
          throw new Problem.Raised(
              Problem.badRequest("bad_request", "malformed percent-escape in '" + text + "'"));
        }
        bytes.write(high * 16 + low);
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        bytes.write(' ');
      } else {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return bytes.toByteArray();
  }

  private static String utf8(byte[] bytes, String what) throws Problem.Raised {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new Problem.Raised(Problem.badRequest("invalid_utf8", what + " is not valid UTF-8"));
    }
  }
}
