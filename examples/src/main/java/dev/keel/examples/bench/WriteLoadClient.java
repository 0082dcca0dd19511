package dev.keel.examples.bench;

import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Recorder;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One outstanding write of the benchmark: sends a write, records its latency when answered, sends
 * the next. C of these give C concurrent writes. A long-lived actor with a fixed reply address
 * keeps the client side off the per-request {@code ask} path.
 */
final class WriteLoadClient {

  private WriteLoadClient() {}

  /**
   * Where the clients send and what they count.
   *
   * @param leader where writes go; a {@code NotLeader} answer naming another peer moves it there
   * @param latencies submit-to-answer time of successful writes, in microseconds
   * @param completed successful writes
   * @param errors writes answered with anything but {@code Ok}
   * @param commandSize bytes per command
   * @param stopping once set, clients send nothing new and stop when their write is answered
   * @param running clients not yet stopped
   */
  record Load(
      AtomicReference<ActorRef<RaftPeer.Command>> leader,
      Recorder latencies,
      AtomicLong completed,
      AtomicLong errors,
      int commandSize,
      AtomicBoolean stopping,
      AtomicInteger running) {

    Load(ActorRef<RaftPeer.Command> leader, int commandSize) {
      this(
          new AtomicReference<>(leader),
          new Recorder(3),
          new AtomicLong(),
          new AtomicLong(),
          commandSize,
          new AtomicBoolean(),
          new AtomicInteger());
    }

    /** The peer writes go to now. */
    ActorRef<RaftPeer.Command> currentLeader() {
      return Objects.requireNonNull(leader.get(), "leader");
    }
  }

  static Behavior<RaftReply<Long>> create(long key, Load load) {
    return Behaviors.setup(
        ctx -> {
          load.running().incrementAndGet();
          long[] sentAt = {System.nanoTime()};
          byte[] command = BytesKvStateMachine.command(key, load.commandSize());
          load.currentLeader().tell(new RaftPeer.Write<>(command, ctx.getSelf()));
          return Behaviors.receiveMessage(
              reply -> {
                long now = System.nanoTime();
                if (reply instanceof RaftReply.Ok) {
                  load.latencies().recordValue((now - sentAt[0]) / 1000);
                  load.completed().incrementAndGet();
                } else {
                  load.errors().incrementAndGet();
                  ActorRef<RaftPeer.Command> newLeader =
                      reply instanceof RaftReply.NotLeader<Long> notLeader
                          ? notLeader.leader()
                          : null;
                  if (newLeader != null) {
                    load.leader().set(newLeader); // follow the new leader
                  }
                }
                if (load.stopping().get()) {
                  load.running().decrementAndGet();
                  return Behaviors.stopped();
                }
                sentAt[0] = now;
                load.currentLeader().tell(new RaftPeer.Write<>(command, ctx.getSelf()));
                return Behaviors.same();
              });
        });
  }
}
