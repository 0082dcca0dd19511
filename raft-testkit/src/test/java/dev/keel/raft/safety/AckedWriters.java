package dev.keel.raft.safety;

import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import dev.keel.raft.testkit.Await;
import dev.keel.raft.testkit.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.jspecify.annotations.Nullable;

/**
 * Writers that keep proposing unique commands ({@code c<client>-<n>}) to whichever peer leads and
 * record each acknowledged one. Every attempt waits at most {@link #ATTEMPT}: a peer that loses
 * power never answers, and its writers must move on at once rather than wait out a request timeout.
 * A command is retried only after an answer that means "not proposed" (NotLeader, NoLeader).
 */
final class AckedWriters {

  private static final Duration ATTEMPT = Duration.ofMillis(300);

  private final ActorSystem<?> system;
  private final TestCluster<String, String, List<String>> cluster;
  private final List<Thread> threads = new ArrayList<>();
  private final Set<String> acked = ConcurrentHashMap.newKeySet();
  private final AtomicInteger indeterminate = new AtomicInteger();
  private volatile boolean running = true;

  AckedWriters(
      ActorSystem<?> system,
      TestCluster<String, String, List<String>> cluster,
      int count,
      long seed) {
    this.system = system;
    this.cluster = cluster;
    for (int c = 0; c < count; c++) {
      int client = c;
      SplittableRandom random = new SplittableRandom(seed * 1000 + c);
      threads.add(new Thread(() -> run(client, random), "writer-" + c));
    }
  }

  void start() {
    threads.forEach(Thread::start);
  }

  void stop() throws InterruptedException {
    running = false;
    for (Thread thread : threads) {
      thread.join(Duration.ofSeconds(10).toMillis());
    }
  }

  private void run(int client, SplittableRandom random) {
    @Nullable String target = null;
    for (int n = 0; running; n++) {
      String command = "c" + client + "-" + n;
      for (int attempt = 0; running && attempt < 20; attempt++) {
        String to = target != null && cluster.isUp(target) ? target : anyUp(random);
        RaftReply<List<String>> reply =
            to == null ? new RaftReply.NoLeader<>() : write(to, command);
        if (reply instanceof RaftReply.Ok) {
          acked.add(command);
          target = to;
          break;
        } else if (reply instanceof RaftReply.NotLeader<List<String>> notLeader) {
          target = notLeader.leaderId(); // not proposed: retry the same command there
        } else if (reply instanceof RaftReply.NoLeader) {
          target = null;
          Await.pause(Duration.ofMillis(20));
        } else {
          indeterminate.incrementAndGet(); // TimedOut, or no answer: it may still commit
          target = null;
          break;
        }
      }
    }
  }

  private @Nullable String anyUp(SplittableRandom random) {
    List<String> up = cluster.upPeers();
    return up.isEmpty() ? null : up.get(random.nextInt(up.size()));
  }

  private RaftReply<List<String>> write(String id, String command) {
    try {
      return AskPattern.<RaftPeer.Command, RaftReply<List<String>>>ask(
              cluster.peer(id),
              replyTo -> new RaftPeer.Write<>(command, replyTo),
              ATTEMPT,
              system.scheduler())
          .toCompletableFuture()
          .get(ATTEMPT.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new RaftReply.TimedOut<>();
    } catch (IllegalStateException | ExecutionException | TimeoutException e) {
      // The peer stopped (lost power) between the choice and the ask, or did not answer in time.
      return new RaftReply.TimedOut<>();
    }
  }

  /** The commands acknowledged so far. */
  Set<String> acked() {
    return Set.copyOf(acked);
  }

  int ackedCount() {
    return acked.size();
  }

  int indeterminateCount() {
    return indeterminate.get();
  }
}
