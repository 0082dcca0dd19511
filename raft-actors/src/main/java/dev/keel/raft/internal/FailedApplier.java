package dev.keel.raft.internal;

import dev.keel.raft.RaftReply;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * What an {@link Applier} becomes once its state machine failed: it applies nothing more and
 * answers every request still reaching it, until the stopping peer sends {@link Applier.Drain}.
 * Writes get {@link RaftReply.TimedOut} (committed, but their result is unknown), queries and
 * snapshot requests {@link RaftReply.Rejected}.
 */
final class FailedApplier {

  private FailedApplier() {}

  static Behavior<Applier.Command> create(Throwable cause) {
    String reason = "the state machine failed: " + cause;
    return Behaviors.receive(Applier.Command.class)
        .onMessage(
            Applier.ApplyEntries.class,
            m -> {
              for (ActorRef<RaftReply<Object>> waiter : m.waiters().values()) {
                waiter.tell(new RaftReply.TimedOut<>());
              }
              return Behaviors.same();
            })
        .onMessage(
            Applier.RunQuery.class,
            m -> {
              m.replyTo().tell(new RaftReply.Rejected<>(reason));
              return Behaviors.same();
            })
        .onMessage(
            Applier.SnapshotNow.class,
            m -> {
              ActorRef<RaftReply<Long>> replyTo = m.replyTo();
              if (replyTo != null) {
                replyTo.tell(new RaftReply.Rejected<>(reason));
              }
              return Behaviors.same();
            })
        .onMessage(Applier.Restore.class, m -> Behaviors.same())
        .onMessageEquals(Applier.Drain.INSTANCE, Behaviors::stopped)
        .build();
  }
}
