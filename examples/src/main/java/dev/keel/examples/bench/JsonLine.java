package dev.keel.examples.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** One flat JSON object, built field by field, printed on one line. */
final class JsonLine {

  // "name":value, where value is a string without escaped quotes, a number, or null.
  private static final Pattern FIELD = Pattern.compile("\"([^\"]+)\":(\"[^\"]*\"|[^,}]+)");

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

  /** Adds a field whose value is already JSON text (as {@link #parse} returns it). */
  JsonLine addRaw(String name, String json) {
    return raw(name, json);
  }

  /**
   * The fields of a flat JSON object as printed by this class, in order: name to the value's JSON
   * text (strings keep their quotes).
   */
  static Map<String, String> parse(String json) {
    Map<String, String> fields = new LinkedHashMap<>();
    Matcher matcher = FIELD.matcher(json);
    while (matcher.find()) {
      fields.put(matcher.group(1), matcher.group(2));
    }
    return fields;
  }

  /** The number a parsed field holds, or 0 when it is absent or null. */
  static double number(Map<String, String> fields, String name) {
    String value = fields.get(name);
    return value == null || value.equals("null") ? 0 : Double.parseDouble(value);
  }

  @Override
  public String toString() {
    return text + "}";
  }
}
