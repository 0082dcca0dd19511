package dev.keel.raft.testkit;

/** The kinds of fault a {@link Nemesis} chooses from. */
public enum Fault {
  /** Split the peers into two random groups. */
  PARTITION,
  /** Cut the current leader off from everyone. */
  ISOLATE_LEADER,
  /** Cut a random peer off from everyone. */
  ISOLATE_PEER,
  /** Cut one direction of one random link. */
  ONE_WAY_CUT,
  /** Drop a random fraction (5–25%) of all messages. */
  DROP,
  /** Delay every message by up to 1–30 ms, which reorders them. */
  DELAY,
  /** Deliver 5% of messages twice. */
  DUPLICATE,
  /** Crash a random peer (at most a minority down at once). */
  CRASH,
  /** Restart every crashed peer. */
  RESTART,
  /** Freeze a random peer (at most a minority paused at once). */
  PAUSE,
  /** Resume every paused peer. */
  RESUME,
  /** Restore the network. */
  HEAL
}
