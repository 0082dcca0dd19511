package dev.keel.examples.kv.client;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table as etcdctl's {@code -w table} prints it. */
final class Table {

  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  Table(String... header) {
    this.header = List.of(header);
  }

  /** Adds a row; one cell per column. */
  Table row(String... cells) {
    rows.add(List.of(cells));
    return this;
  }

  /** The table, lines separated by newlines, with a final newline. */
  String render() {
    int[] widths = new int[header.size()];
    for (List<String> line : allLines()) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], line.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    String rule = rule(widths);
    out.append(rule).append(line(header, widths)).append(rule);
    for (List<String> row : rows) {
      out.append(line(row, widths));
    }
    return out.append(rule).toString();
  }

  private List<List<String>> allLines() {
    List<List<String>> all = new ArrayList<>(rows);
    all.add(header);
    return all;
  }

  private static String rule(int[] widths) {
    StringBuilder rule = new StringBuilder("+");
    for (int width : widths) {
      rule.append("-".repeat(width + 2)).append('+');
    }
    return rule.append('\n').toString();
  }

  private static String line(List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder("|");
    for (int i = 0; i < widths.length; i++) {
      String cell = cells.get(i);
      line.append(' ').append(cell).append(" ".repeat(widths[i] - cell.length())).append(" |");
    }
    return line.append('\n').toString();
  }
}
