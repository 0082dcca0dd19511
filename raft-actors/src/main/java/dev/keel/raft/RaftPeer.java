package dev.keel.raft;

import dev.keel.raft.internal.PeerBootstrap;
import dev.keel.raft.persistence.RaftStorage;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;

/**
 * A member of a Raft group, as a Pekko typed actor. Spawn one per node with {@link #create(Setup)},
 * then send it {@link Write}, {@link Read} and {@link GetStatus} with {@code AskPattern.ask}.
 *
 * <pre>{@code
 * ActorRef<RaftPeer.Command> peer = system.systemActorOf(RaftPeer.create(
 *     RaftPeer.setup("n1", List.of("n1", "n2", "n3"), transport, storage,
 *         RegisterStateMachine::ofStrings).build()), "raft-n1", Props.empty());
 * CompletionStage<RaftReply<Optional<String>>> reply = AskPattern.ask(peer,
 *     replyTo -> new RaftPeer.Write<>("hello", replyTo), Duration.ofSeconds(6), system.scheduler());
 * }</pre>
 *
 * <p>Every request is answered exactly once (see {@link RaftReply}); set the ask timeout above
 * {@code keel.raft.request-timeout} so the peer's own answer arrives first.
 */
public final class RaftPeer {

  private RaftPeer() {}

  /** Every message a peer accepts: client requests, peer-to-peer protocol, internal signals. */
  public interface Command {}

  /**
   * Proposes a command. Answered {@link RaftReply.Ok} with the state machine's result once the
   * command is committed and applied; only the leader accepts writes. A command the leader's
   * storage cannot store is answered {@link RaftReply.Rejected} at once and not proposed.
   *
   * @param command the command; immutable, and storable by the peers' storage (for a journaled
   *     storage: a serializer is bound to its class)
   * @param replyTo where the answer goes
   * @param <C> command type
   * @param <R> result type
   */
  public record Write<C, R>(C command, ActorRef<RaftReply<R>> replyTo) implements Command {}

  /**
   * Runs a read-only query against the state machine.
   *
   * @param query the query
   * @param consistency {@link ReadConsistency#LINEARIZABLE} (leader only) or {@link
   *     ReadConsistency#LOCAL}
   * @param replyTo where the answer goes
   * @param <Q> query type
   * @param <R> result type
   */
  public record Read<Q, R>(Q query, ReadConsistency consistency, ActorRef<RaftReply<R>> replyTo)
      implements Command {

    /** A linearizable read. */
    public Read(Q query, ActorRef<RaftReply<R>> replyTo) {
      this(query, ReadConsistency.LINEARIZABLE, replyTo);
    }
  }

  /** How fresh a read must be. */
  public enum ReadConsistency {
    /**
     * Reflects every write that completed before the read was sent (ReadIndex: the leader confirms
     * its leadership with a quorum round, then reads its applied state).
     */
    LINEARIZABLE,
    /** The answering peer's applied state, without any round trip; may be stale. */
    LOCAL
  }

  /**
   * Asks for the peer's {@link PeerStatus}.
   *
   * @param replyTo where the answer goes
   */
  public record GetStatus(ActorRef<PeerStatus> replyTo) implements Command {}

  /**
   * Asks the peer to snapshot its state machine now and drop the log entries the snapshot covers
   * (§7). Answered {@link RaftReply.Ok} once the snapshot is durable, with its last included index
   * as both result and index (0 if nothing was applied yet; the index of an existing snapshot if
   * nothing was applied since, which is not written again). Answered {@link RaftReply.Rejected} if
   * the state machine cannot write a snapshot or the peer is stopping.
   *
   * @param replyTo where the answer goes
   */
  public record TakeSnapshot(ActorRef<RaftReply<Long>> replyTo) implements Command {}

  /**
   * Stops the peer gracefully. Every request it holds is answered first: writes not yet applied
   * {@link RaftReply.TimedOut} (a leader's entries may still be committed by the next leader, so
   * their outcome is unknown), linearizable reads {@link RaftReply.NoLeader}; entries already
   * committed are applied and their writes answered with their results. Requests arriving meanwhile
   * are answered {@link RaftReply.NoLeader}. Then the peer stops and {@code replyTo} gets {@link
   * Done}. The storage stays open: it belongs to whoever created it.
   *
   * <p>A peer also stops by itself, answering everything the same way, when its storage fails or
   * its state machine fails (an exception or error escaping {@code applyBatch}, {@code restore} or
   * the decoding of a committed command): it cannot go on safely, and stopping lets another peer
   * lead.
   *
   * @param replyTo told once the peer has stopped
   */
  public record Stop(ActorRef<Done> replyTo) implements Command {}

  /** Starts a {@link Setup} with the required parts; the rest have defaults. */
  public static <C, Q, R> Setup.Builder<C, Q, R> setup(
      String id,
      List<String> members,
      PeerTransport transport,
      RaftStorage storage,
      Supplier<? extends StateMachine<C, Q, R>> stateMachine) {
    return new Setup.Builder<>(id, members, transport, storage, stateMachine);
  }

  /** The behavior of a peer described by {@code setup}. */
  public static Behavior<Command> create(Setup<?, ?, ?> setup) {
    return PeerBootstrap.create(setup);
  }

  /**
   * Everything a peer is made of.
   *
   * @param id this peer's name, unique in the group
   * @param members every voting member's name, this peer's included
   * @param transport how to reach the other members
   * @param storage durable term, vote and log
   * @param stateMachine makes the state machine, once per peer start
   * @param settings timing and batching
   * @param clock monotonic time for lease checks
   * @param random randomness for election timeouts
   * @param <C> command type
   * @param <Q> query type
   * @param <R> result type
   */
  public record Setup<C, Q, R>(
      String id,
      List<String> members,
      PeerTransport transport,
      RaftStorage storage,
      Supplier<? extends StateMachine<C, Q, R>> stateMachine,
      RaftSettings settings,
      RaftClock clock,
      RandomGenerator random) {

    /** Validates the setup. */
    public Setup {
      members = List.copyOf(members);
      if (!members.contains(id)) {
        throw new IllegalArgumentException("members " + members + " must include " + id);
      }
      if (members.stream().distinct().count() != members.size()) {
        throw new IllegalArgumentException("members contain duplicates: " + members);
      }
      Objects.requireNonNull(transport, "transport");
      Objects.requireNonNull(storage, "storage");
      Objects.requireNonNull(stateMachine, "stateMachine");
    }

    /**
     * Builds a {@link Setup}.
     *
     * @param <C> command type
     * @param <Q> query type
     * @param <R> result type
     */
    public static final class Builder<C, Q, R> {
      private final String id;
      private final List<String> members;
      private final PeerTransport transport;
      private final RaftStorage storage;
      private final Supplier<? extends StateMachine<C, Q, R>> stateMachine;
      private RaftSettings settings = RaftSettings.defaults();
      private RaftClock clock = RaftClock.SYSTEM;
      private RandomGenerator random = new Random();

      Builder(
          String id,
          List<String> members,
          PeerTransport transport,
          RaftStorage storage,
          Supplier<? extends StateMachine<C, Q, R>> stateMachine) {
        this.id = id;
        this.members = members;
        this.transport = transport;
        this.storage = storage;
        this.stateMachine = stateMachine;
      }

      /** Timing and batching settings; default {@link RaftSettings#defaults()}. */
      public Builder<C, Q, R> settings(RaftSettings value) {
        this.settings = value;
        return this;
      }

      /** The clock; default the system's monotonic clock. */
      public Builder<C, Q, R> clock(RaftClock value) {
        this.clock = value;
        return this;
      }

      /** Randomness for election timeouts; pass a seeded generator for reproducible runs. */
      public Builder<C, Q, R> random(RandomGenerator value) {
        this.random = value;
        return this;
      }

      /** The setup. */
      public Setup<C, Q, R> build() {
        return new Setup<>(id, members, transport, storage, stateMachine, settings, clock, random);
      }
    }
  }
}
