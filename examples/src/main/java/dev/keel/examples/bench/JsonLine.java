package dev.keel.examples.bench;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** One flat JSON object, built field by field, printed on one line. */
final class JsonLine {

  private final StringBuilder text = new StringBuilder("{");

  JsonLine add(String name, @Nullable String value) {
    return raw(name, value == null ? "null" : '"' + value.replace("\"", "\\\"") + '"');
  }

  JsonLine add(String name, long value) {
    return raw(name, Long.toString(value));
  }

  /** A number with {@code decimals} decimals; negative or non-finite values become null. */
  JsonLine add(String name, double value, int decimals) {
    boolean known = Double.isFinite(value) && value >= 0;
    return raw(name, known ? String.format(Locale.ROOT, "%." + decimals + "f", value) : "null");
  }

  /** Appends every field of {@code other}, in order. */
  JsonLine addAll(JsonLine other) {
    String fields = other.text.substring(1);
    if (!fields.isEmpty()) {
      if (text.length() > 1) {
        text.append(',');
      }
      text.append(fields);
    }
    return this;
  }

  private JsonLine raw(String name, String json) {
    if (text.length() > 1) {
      text.append(',');
    }
    text.append('"').append(name).append("\":").append(json);
    return this;
  }

  @Override
  public String toString() {
    return text + "}";
  }
}
