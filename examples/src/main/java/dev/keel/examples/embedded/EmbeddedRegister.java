package dev.keel.examples.embedded;

import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import dev.keel.raft.RegisterStateMachine;
import dev.keel.raft.persistence.journal.RaftStorages;
import dev.keel.raft.testkit.InProcessNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The smallest complete embedding of Keel: three peers of a replicated register in one ActorSystem,
 * a write through whichever peer leads, and a linearizable read. The peers are durable, as Keel
 * peers are by default: {@link RaftStorages#create} gives each node a fsync'd RocksDB journal under
 * {@code keel.persistence.rocksdb.dir} ({@code keel-data} in the working directory), so a second
 * run finds the value the first one wrote (the write answers with the register's previous value).
 * The README shows the command that runs it.
 */
public final class EmbeddedRegister {

  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

  private EmbeddedRegister() {}

  /**
   * Starts the group, writes {@code args[0]} (default "hello"), reads it back, prints both.
   *
   * @param args optional value to write
   */
  public static void main(String[] args) throws Exception {
    String value = args.length > 0 ? args[0] : "hello";
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "keel-example");
    try {
      System.out.println(run(system, value));
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** Runs the example in {@code system}; returns what was read back. */
  public static String run(ActorSystem<?> system, String value) throws Exception {
    List<String> members = List.of("n1", "n2", "n3");
    InProcessNetwork network = new InProcessNetwork(system, 1);
    List<ActorRef<RaftPeer.Command>> peers = new ArrayList<>();
    for (String id : members) {
      RaftPeer.Setup<String, RegisterStateMachine.Get, Optional<String>> setup =
          RaftPeer.setup(
                  id,
                  members,
                  network.transportFor(id),
                  RaftStorages.create(system, "register", id),
                  RegisterStateMachine::ofStrings)
              .build();
      ActorRef<RaftPeer.Command> peer =
          system.systemActorOf(RaftPeer.create(setup), "raft-" + id, Props.empty());
      network.register(id, peer);
      peers.add(peer);
    }
    ActorRef<RaftPeer.Command> leader = findLeader(system, peers.get(0));
    RaftReply<Optional<String>> written =
        AskPattern.<RaftPeer.Command, RaftReply<Optional<String>>>ask(
                leader,
                replyTo -> new RaftPeer.Write<>(value, replyTo),
                ASK_TIMEOUT,
                system.scheduler())
            .toCompletableFuture()
            .get();
    RaftReply<Optional<String>> read =
        AskPattern.<RaftPeer.Command, RaftReply<Optional<String>>>ask(
                leader,
                replyTo -> new RaftPeer.Read<>(RegisterStateMachine.Get.VALUE, replyTo),
                ASK_TIMEOUT,
                system.scheduler())
            .toCompletableFuture()
            .get();
    return "write: " + written + "\nread:  " + read;
  }

  /** Sends linearizable reads, following NotLeader hints, until a peer answers as the leader. */
  private static ActorRef<RaftPeer.Command> findLeader(
      ActorSystem<?> system, ActorRef<RaftPeer.Command> anyPeer) throws Exception {
    ActorRef<RaftPeer.Command> target = anyPeer;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      RaftReply<Optional<String>> reply =
          AskPattern.<RaftPeer.Command, RaftReply<Optional<String>>>ask(
                  target,
                  replyTo ->
                      new RaftPeer.Read<>(
                          RegisterStateMachine.Get.VALUE,
                          RaftPeer.ReadConsistency.LINEARIZABLE,
                          replyTo),
                  ASK_TIMEOUT,
                  system.scheduler())
              .toCompletableFuture()
              .get();
      if (reply instanceof RaftReply.Ok) {
        return target;
      }
      if (reply instanceof RaftReply.NotLeader<Optional<String>> notLeader
          && notLeader.leader() != null) {
        target = notLeader.leader();
      } else {
        TimeUnit.MILLISECONDS.sleep(100); // an election is under way
      }
    }
    throw new IllegalStateException("no leader within 30 s");
  }
}
