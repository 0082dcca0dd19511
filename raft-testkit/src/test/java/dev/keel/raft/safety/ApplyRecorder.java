package dev.keel.raft.safety;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks state machine safety online: every state machine instance, on any peer and in any
 * incarnation, must apply exactly the same sequence of commands. The first instance to reach a
 * position defines the command there; any other command at that position is a violation.
 */
final class ApplyRecorder {

  private final List<String> canonical = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();

  /** Records that an instance applied {@code command} as its {@code position}-th command. */
  synchronized void applied(String instance, int position, String command) {
    if (position < canonical.size()) {
      if (!canonical.get(position).equals(command)) {
        violations.add(
            instance
                + " applied "
                + command
                + " at position "
                + position
                + " where another applied "
                + canonical.get(position));
      }
    } else if (position == canonical.size()) {
      canonical.add(command);
    } else {
      violations.add(instance + " skipped to position " + position);
    }
  }

  synchronized List<String> canonical() {
    return List.copyOf(canonical);
  }

  synchronized List<String> violations() {
    return List.copyOf(violations);
  }
}
