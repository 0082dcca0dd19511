package dev.keel.examples.bench;

import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
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

  /** Where the clients send and what they count. */
  record Load(
      AtomicReference<ActorRef<RaftPeer.Command>> leader,
      Recorder latencies,
      AtomicLong completed,
      AtomicLong errors,
      int commandSize) {}

  static Behavior<RaftReply<Long>> create(long key, Load load) {
    return Behaviors.setup(
        ctx -> {
          long[] sentAt = {System.nanoTime()};
          byte[] command = BytesKvStateMachine.command(key, load.commandSize());
          load.leader().get().tell(new RaftPeer.Write<>(command, ctx.getSelf()));
          return Behaviors.receiveMessage(
              reply -> {
                long now = System.nanoTime();
                if (reply instanceof RaftReply.Ok) {
                  load.latencies().recordValue((now - sentAt[0]) / 1000);
                  load.completed().incrementAndGet();
                } else {
                  load.errors().incrementAndGet();
                }
                sentAt[0] = now;
                load.leader().get().tell(new RaftPeer.Write<>(command, ctx.getSelf()));
                return Behaviors.same();
              });
        });
  }
}
