package dev.keel.raft;

import dev.keel.raft.protocol.RaftMessage;
import org.apache.pekko.actor.typed.ActorRef;
import org.jspecify.annotations.Nullable;

/**
 * How one peer reaches the others. Peers address each other by name; the transport decides how a
 * name becomes a destination (an actor in the same JVM, a remote actor, a simulated network with
 * faults). Delivery is best effort: messages may be lost, delayed, duplicated or reordered, and
 * Raft copes with all of it.
 *
 * <p>Implementations are bound to one sending peer and must be thread-safe: the peer and its
 * replicators send concurrently.
 */
public interface PeerTransport {

  /** Sends {@code message} to the peer named {@code to}; never blocks. */
  void send(String to, RaftMessage message);

  /** The reference of the peer named {@code peerId}, for leader hints; null if not resolvable. */
  @Nullable ActorRef<RaftPeer.Command> resolve(String peerId);
}
