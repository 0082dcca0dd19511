package dev.keel.raft.persistence;

/**
 * What a Raft log entry carries: the leader's no-op that opens each term, or a command of the
 * user's state machine. Membership changes will join this hierarchy.
 */
public sealed interface EntryPayload permits EntryPayload.NoOp, EntryPayload.UserCommand {

  /** The entry a new leader appends at the start of its term so it can commit earlier ones (§8). */
  record NoOp() implements EntryPayload {
    /** The one instance; the record has no state. */
    public static final NoOp INSTANCE = new NoOp();
  }

  /**
   * A command for the user's state machine.
   *
   * @param command the command object; it must be immutable, since entries are shared between
   *     actors
   */
  record UserCommand(Object command) implements EntryPayload {}
}
