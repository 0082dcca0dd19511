package dev.keel.raft.testkit.linearizability;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes the explanation of a {@link CheckResult} from the results of its parts. */
final class Summary {

  /** Undecided parts named one by one in an explanation; the rest are counted. */
  private static final int MAX_NAMED = 20;

  private Summary() {}

  static String linearizable(int operations, List<PartResult> parts, long elapsedNanos) {
    return String.format(
        Locale.ROOT,
        "Linearizable: %d operations in %d parts, checked in %s.",
        operations,
        parts.size(),
        TimeText.duration(elapsedNanos));
  }

  /** The violation's report, then what became of the other parts. */
  static String notLinearizable(String violationReport, List<PartResult> parts, Budget budget) {
    return parts.size() == 1 ? violationReport : violationReport + partsLines(parts, budget);
  }

  /** Why the first undecided part is undecided, then what became of every part. */
  static String unknown(List<PartResult> parts, Budget budget) {
    PartResult first =
        parts.stream().filter(part -> !part.status().decided()).findFirst().orElseThrow();
    return String.format(
            Locale.ROOT,
            "Unknown: %s while checking %s (%d operations, %d configurations explored).%n",
            reason(first.status(), budget),
            first.part(),
            first.operations(),
            first.configurations())
        + partsLines(parts, budget);
  }

  /** A count of parts per status, then one line per undecided part. */
  private static String partsLines(List<PartResult> parts, Budget budget) {
    Map<PartResult.Status, Integer> counts = new EnumMap<>(PartResult.Status.class);
    parts.forEach(part -> counts.merge(part.status(), 1, Integer::sum));
    StringBuilder text = new StringBuilder();
    text.append(String.format(Locale.ROOT, "Parts: %d (", parts.size()));
    counts.forEach(
        (status, count) ->
            text.append(count)
                .append(' ')
                .append(status.name().toLowerCase(Locale.ROOT).replace('_', ' '))
                .append(", "));
    text.setLength(text.length() - 2);
    text.append(").").append(System.lineSeparator());
    int named = 0;
    for (PartResult part : parts) {
      if (part.status().decided()) {
        continue;
      }
      if (named++ == MAX_NAMED) {
        long more = parts.stream().filter(p -> !p.status().decided()).count() - MAX_NAMED;
        text.append(String.format(Locale.ROOT, "  ... %d more undecided parts%n", more));
        break;
      }
      text.append(
          String.format(
              Locale.ROOT,
              "  undecided %s (%d operations): %s; %s%n",
              part.part(),
              part.operations(),
              reason(part.status(), budget),
              part.configurations() == 0
                  ? "never searched"
                  : String.format(
                      Locale.ROOT,
                      "searched %d configurations in %s",
                      part.configurations(),
                      TimeText.duration(part.searchTime().toNanos()))));
    }
    return text.toString();
  }

  private static String reason(PartResult.Status status, Budget budget) {
    return switch (status) {
      case OUT_OF_TIME -> budget.describe(Budget.Pause.TIME);
      case OUT_OF_MEMORY -> budget.describe(Budget.Pause.MEMORY);
      case STOPPED -> budget.describe(Budget.Pause.STOPPED);
      case LINEARIZABLE, NOT_LINEARIZABLE -> "decided";
    };
  }
}
