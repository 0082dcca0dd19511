package dev.keel.raft;

import org.apache.pekko.actor.typed.ActorRef;
import org.jspecify.annotations.Nullable;

/**
 * The answer to a {@link RaftPeer.Write} or {@link RaftPeer.Read}. Exactly one answer is sent per
 * request.
 *
 * <p>{@link NotLeader} and {@link NoLeader} mean the request was not proposed: retrying it is safe.
 * {@link TimedOut} means the outcome is unknown: a write may or may not take effect.
 *
 * @param <R> the state machine's result type
 */
public sealed interface RaftReply<R>
    permits RaftReply.Ok,
        RaftReply.NotLeader,
        RaftReply.NoLeader,
        RaftReply.Rejected,
        RaftReply.TimedOut {

  /**
   * The write was committed and applied, or the read ran.
   *
   * @param result what the state machine returned
   * @param index for a write, its log index; for a read, the commit index it reflects
   */
  record Ok<R>(R result, long index) implements RaftReply<R> {}

  /**
   * This peer is not the leader; send the request to {@code leaderId}.
   *
   * @param leaderId the name of the peer this one believes leads
   * @param leader that peer's reference, when this peer can resolve it
   */
  record NotLeader<R>(String leaderId, @Nullable ActorRef<RaftPeer.Command> leader)
      implements RaftReply<R> {}

  /** No leader is known (an election is under way); retry after a short pause. */
  record NoLeader<R>() implements RaftReply<R> {}

  /**
   * The request was refused, for one of these reasons:
   *
   * <ul>
   *   <li>The state machine refused it (its {@code apply} or {@code query} threw). Such a write is
   *       still in the log: every replica records the same refusal.
   *   <li>The leader cannot put the write's command in the log: no serializer that can write and
   *       read it is bound to its class, or it is larger than {@code max-bytes-per-append}. Such a
   *       write was not proposed, and retrying it unchanged is refused again.
   *   <li>A {@link RaftPeer.TakeSnapshot} failed, or the peer is stopping or its state machine
   *       failed.
   * </ul>
   *
   * @param reason the exception's description, or why the command or request was refused
   */
  record Rejected<R>(String reason) implements RaftReply<R> {}

  /**
   * No answer within the request timeout. For a write the outcome is unknown: it may still be
   * committed.
   */
  record TimedOut<R>() implements RaftReply<R> {}

  /** Whether this reply is {@link Ok}. */
  default boolean isOk() {
    return this instanceof Ok;
  }
}
