package dev.keel.examples.kv.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;

/** JSON in and out of the client. */
final class Json {

  /** Thread-safe once configured. */
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** Parses a response body; a body that is not JSON becomes a JSON string. */
  static JsonNode parse(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return MAPPER.getNodeFactory().textNode(text);
    }
  }

  /** {@code value} as one line of JSON. */
  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("trees, maps and strings always serialize", e);
    }
  }
}
