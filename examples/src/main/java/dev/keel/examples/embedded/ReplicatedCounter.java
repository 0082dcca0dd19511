package dev.keel.examples.embedded;

import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import dev.keel.raft.StateMachine;
import dev.keel.raft.persistence.journal.RaftStorages;
import dev.keel.raft.testkit.InProcessNetwork;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Keel embedded in one file: a replicated counter. Three peers in one actor system, a {@code Write}
 * that adds 5 through whichever peer leads, and a linearizable {@code Read}. The peers are durable
 * by default (a fsync'd RocksDB journal per node under {@code keel-data/}), so every run adds to
 * what the previous runs counted.
 */
public final class ReplicatedCounter {

  /** The state machine: a command adds to the count, the query reads it. */
  static final class Counter implements StateMachine<Long, Counter.Get, Long> {
    enum Get {
      VALUE
    }

    private long count;

    @Override
    public Long apply(Long delta) {
      count += delta;
      return count;
    }

    @Override
    public Long query(Get query) {
      return count;
    }

    @Override
    public void snapshot(OutputStream out) throws IOException {
      new DataOutputStream(out).writeLong(count);
    }

    @Override
    public void restore(InputStream in) throws IOException {
      count = new DataInputStream(in).readLong();
    }
  }

  private ReplicatedCounter() {}

  /** Runs the example and prints what the write and the read answered. */
  public static void main(String[] args) throws Exception {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "counter");
    try {
      System.out.println(run(system));
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** Starts three peers in {@code system}, adds 5, reads the count; returns both answers. */
  public static String run(ActorSystem<?> system) throws Exception {
    List<String> members = List.of("n1", "n2", "n3");
    InProcessNetwork network =
        new InProcessNetwork(system, 1); // across machines: RemotePeerTransport
    Map<String, ActorRef<RaftPeer.Command>> peers = new HashMap<>();
    for (String id : members) {
      RaftPeer.Setup<Long, Counter.Get, Long> setup =
          RaftPeer.setup(
                  id,
                  members,
                  network.transportFor(id),
                  RaftStorages.create(system, "counter", id),
                  Counter::new)
              .build();
      ActorRef<RaftPeer.Command> peer =
          system.systemActorOf(RaftPeer.create(setup), "counter-" + id, Props.empty());
      network.register(id, peer);
      peers.put(id, peer);
    }
    ActorRef<RaftPeer.Command> leader = peers.getOrDefault("n1", peers.values().iterator().next());
    RaftReply<Long> written = ask(system, leader, replyTo -> new RaftPeer.Write<>(5L, replyTo));
    while (!(written instanceof RaftReply.Ok)) {
      if (written instanceof RaftReply.NotLeader<Long> notLeader) {
        leader = peers.getOrDefault(notLeader.leaderId(), leader); // not proposed: go there
      } else if (written instanceof RaftReply.NoLeader) {
        Thread.sleep(100); // an election is under way: not proposed, try again shortly
      } else {
        throw new IllegalStateException("write failed: " + written); // TimedOut or Rejected
      }
      written = ask(system, leader, replyTo -> new RaftPeer.Write<>(5L, replyTo));
    }
    RaftReply<Long> read =
        ask(system, leader, replyTo -> new RaftPeer.Read<>(Counter.Get.VALUE, replyTo));
    return "write: " + written + "\nread:  " + read;
  }

  private static RaftReply<Long> ask(
      ActorSystem<?> system,
      ActorRef<RaftPeer.Command> peer,
      Function<ActorRef<RaftReply<Long>>, RaftPeer.Command> request)
      throws Exception {
    return AskPattern.ask(peer, request::apply, Duration.ofSeconds(10), system.scheduler())
        .toCompletableFuture()
        .get();
  }
}
