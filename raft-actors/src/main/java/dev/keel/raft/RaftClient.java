package dev.keel.raft;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.jspecify.annotations.Nullable;
import scala.concurrent.ExecutionContextExecutor;

/**
 * A client that finds the leader of a Raft group and sends it writes and reads, wherever the peers
 * run (this actor system or others, through their references).
 *
 * <pre>{@code
 * RaftClient<String, RegisterStateMachine.Get, Optional<String>> client =
 *     RaftClient.create(system, transport.peers());
 * client.write("hello").thenAccept(reply -> ...);   // Ok, Rejected, TimedOut, or NotLeader/NoLeader
 * }</pre>
 *
 * <p>Each request goes to the peer the client believes leads. Answers that mean the request was
 * <em>not proposed</em> are retried until the request's deadline: {@link RaftReply.NotLeader} moves
 * to the named leader (at once the first time, then after a backoff), {@link RaftReply.NoLeader}
 * tries the next peer after a backoff. A write whose outcome is unknown — answered {@link
 * RaftReply.TimedOut}, or not answered within the attempt timeout — is never retried: it is
 * answered {@code TimedOut}, and the caller decides. A peer that did not answer at all is no longer
 * taken for the leader: the next request starts at the next peer. Reads change nothing, so a read
 * that timed out is tried again while the deadline allows. At the deadline the client answers the
 * last "not proposed" answer it had ({@code NotLeader} or {@code NoLeader}): the request was not
 * proposed, and retrying it later is safe.
 *
 * <p>Every call returns a stage that completes exactly once, with a {@link RaftReply} (never
 * exceptionally), on the actor system's dispatcher — never on the common {@code ForkJoinPool}.
 * Thread-safe; one client serves any number of concurrent requests.
 *
 * @param <C> command type
 * @param <Q> query type
 * @param <R> result type
 */
public final class RaftClient<C, Q, R> {

  private final ActorSystem<?> system;
  private final Map<String, ActorRef<RaftPeer.Command>> members;
  private final List<String> names;
  private final Settings settings;
  private final ExecutionContextExecutor executor;
  // The member the next request goes to first: the last one known to lead.
  private volatile String leader;

  private RaftClient(
      ActorSystem<?> system, Map<String, ActorRef<RaftPeer.Command>> members, Settings settings) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a client needs at least one member");
    }
    this.system = system;
    this.members = Map.copyOf(members);
    this.names = List.copyOf(new TreeMap<>(members).keySet());
    this.settings = settings;
    this.executor = system.executionContext();
    this.leader = names.get(0);
  }

  /**
   * A client of the group whose peers are {@code members} (name to reference), with the settings of
   * {@code keel.client} in the system's configuration.
   */
  public static <C, Q, R> RaftClient<C, Q, R> create(
      ActorSystem<?> system, Map<String, ActorRef<RaftPeer.Command>> members) {
    return new RaftClient<>(system, members, Settings.fromConfig(system.settings().config()));
  }

  /** A client of the group whose peers are {@code members}, with the given settings. */
  public static <C, Q, R> RaftClient<C, Q, R> create(
      ActorSystem<?> system, Map<String, ActorRef<RaftPeer.Command>> members, Settings settings) {
    return new RaftClient<>(system, members, settings);
  }

  /** Writes {@code command} within the default deadline; see the class description. */
  public CompletionStage<RaftReply<R>> write(C command) {
    return write(command, settings.deadline());
  }

  /** Writes {@code command} within {@code deadline}; see the class description. */
  public CompletionStage<RaftReply<R>> write(C command, Duration deadline) {
    return new Call(true, replyTo -> new RaftPeer.Write<C, R>(command, replyTo), deadline).start();
  }

  /** Reads {@code query} linearizably within the default deadline. */
  public CompletionStage<RaftReply<R>> read(Q query) {
    return read(query, RaftPeer.ReadConsistency.LINEARIZABLE, settings.deadline());
  }

  /** Reads {@code query} with the given consistency within {@code deadline}. */
  public CompletionStage<RaftReply<R>> read(
      Q query, RaftPeer.ReadConsistency consistency, Duration deadline) {
    return new Call(
            false, replyTo -> new RaftPeer.Read<Q, R>(query, consistency, replyTo), deadline)
        .start();
  }

  /** The member the next request goes to first: the last one known to lead. */
  public String believedLeader() {
    return leader;
  }

  /** One request, through all its attempts. */
  private final class Call {
    private final boolean write;
    private final Function<ActorRef<RaftReply<R>>, RaftPeer.Command> message;
    private final long deadlineNanos;
    private final CompletableFuture<RaftReply<R>> result = new CompletableFuture<>();
    private RaftReply<R> lastNotProposed = new RaftReply.NoLeader<>();
    private int backoffs;
    // Redirects followed at once since the last backoff; a second one in a row waits.
    private int quickRedirects;

    Call(
        boolean write,
        Function<ActorRef<RaftReply<R>>, RaftPeer.Command> message,
        Duration deadline) {
      this.write = write;
      this.message = message;
      this.deadlineNanos = System.nanoTime() + deadline.toNanos();
    }

    CompletionStage<RaftReply<R>> start() {
      String target = leader;
      attempt(target, member(target));
      return result;
    }

    private void attempt(String target, ActorRef<RaftPeer.Command> ref) {
      long remaining = deadlineNanos - System.nanoTime();
      if (remaining <= 0) {
        result.complete(lastNotProposed);
        return;
      }
      Duration timeout = Duration.ofNanos(Math.min(remaining, settings.attemptTimeout().toNanos()));
      AskPattern.<RaftPeer.Command, RaftReply<R>>ask(
              ref, message::apply, timeout, system.scheduler())
          .whenCompleteAsync((reply, failure) -> onAnswer(target, reply, failure), executor);
    }

    private void onAnswer(
        String target, @Nullable RaftReply<R> reply, @Nullable Throwable failure) {
      if (reply == null || failure != null) {
        // No answer in time: the target may be down, so the next request starts elsewhere.
        suspect(target);
        // A write may or may not have been proposed.
        if (write) {
          result.complete(new RaftReply.TimedOut<>());
        } else {
          retryLater(next(target));
        }
        return;
      }
      if (reply instanceof RaftReply.NotLeader<R> notLeader) {
        lastNotProposed = reply;
        redirect(notLeader);
      } else if (reply instanceof RaftReply.NoLeader<R>) {
        lastNotProposed = reply;
        retryLater(next(target));
      } else if (reply instanceof RaftReply.TimedOut<R> && !write) {
        retryLater(target);
      } else {
        if (reply instanceof RaftReply.Ok<R>) {
          leader = target;
        }
        result.complete(reply);
      }
    }

    private void redirect(RaftReply.NotLeader<R> notLeader) {
      String hinted = notLeader.leaderId();
      ActorRef<RaftPeer.Command> known = members.get(hinted);
      ActorRef<RaftPeer.Command> ref = known != null ? known : notLeader.leader();
      if (ref == null) {
        retryLater(next(hinted));
        return;
      }
      if (known != null) {
        leader = hinted;
      }
      if (quickRedirects++ == 0) {
        attempt(hinted, ref);
      } else {
        retryLater(hinted, ref);
      }
    }

    private void retryLater(String target) {
      retryLater(target, member(target));
    }

    private void retryLater(String target, ActorRef<RaftPeer.Command> ref) {
      quickRedirects = 0;
      long ceiling =
          Math.min(
              settings.maxBackoff().toNanos(),
              settings.minBackoff().toNanos() << Math.min(backoffs++, 20));
      long pause = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
      long remaining = deadlineNanos - System.nanoTime();
      if (remaining <= 0) {
        result.complete(lastNotProposed);
        return;
      }
      system
          .scheduler()
          .scheduleOnce(
              Duration.ofNanos(Math.min(pause, remaining)), () -> attempt(target, ref), executor);
    }

    private void suspect(String target) {
      if (target.equals(leader)) {
        leader = next(target);
      }
    }

    private String next(String target) {
      int index = names.indexOf(target);
      return names.get((index + 1) % names.size());
    }
  }

  private ActorRef<RaftPeer.Command> member(String name) {
    ActorRef<RaftPeer.Command> ref = members.get(name);
    if (ref == null) {
      throw new IllegalStateException("not a member: " + name);
    }
    return ref;
  }

  /**
   * How a {@link RaftClient} retries, from {@code keel.client} (see {@code reference.conf}).
   *
   * @param deadline how long a request may take in all, retries included
   * @param attemptTimeout how long one attempt waits for a peer's answer; keep it above {@code
   *     keel.raft.request-timeout}, so the peer's own {@code TimedOut} arrives first
   * @param minBackoff the first pause before a retry
   * @param maxBackoff the longest pause before a retry
   */
  public record Settings(
      Duration deadline, Duration attemptTimeout, Duration minBackoff, Duration maxBackoff) {

    /** Checks the values; errors name the setting. */
    public Settings {
      requirePositive("deadline", deadline);
      requirePositive("attempt-timeout", attemptTimeout);
      requirePositive("min-backoff", minBackoff);
      if (maxBackoff.compareTo(minBackoff) < 0) {
        throw new IllegalArgumentException("keel.client.max-backoff must be >= min-backoff");
      }
    }

    /**
     * Reads {@code keel.client} from a full configuration.
     *
     * @throws IllegalArgumentException naming a missing or invalid setting
     */
    public static Settings fromConfig(Config root) {
      try {
        Config c = root.withFallback(ConfigFactory.defaultReference()).getConfig("keel.client");
        return new Settings(
            c.getDuration("deadline"),
            c.getDuration("attempt-timeout"),
            c.getDuration("min-backoff"),
            c.getDuration("max-backoff"));
      } catch (ConfigException e) {
        throw new IllegalArgumentException("invalid keel.client: " + e.getMessage(), e);
      }
    }

    /** A copy with another default deadline. */
    public Settings withDeadline(Duration value) {
      return new Settings(value, attemptTimeout, minBackoff, maxBackoff);
    }

    /** A copy with another attempt timeout. */
    public Settings withAttemptTimeout(Duration value) {
      return new Settings(deadline, value, minBackoff, maxBackoff);
    }

    private static void requirePositive(String name, Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(
            "keel.client." + name + " must be positive, was " + value);
      }
    }
  }
}
