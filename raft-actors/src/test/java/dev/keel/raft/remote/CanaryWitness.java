package dev.keel.raft.remote;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What happened to {@link Canary} in this JVM. */
final class CanaryWitness {

  /** The class name, for frames that try to make a node create a canary. */
  static final String CANARY = "dev.keel.raft.remote.Canary";

  private static final List<String> EVENTS = new CopyOnWriteArrayList<>();

  private CanaryWitness() {}

  static void record(String event) {
    EVENTS.add(event);
  }

  /** Everything recorded so far. */
  static List<String> events() {
    return List.copyOf(EVENTS);
  }
}
