package dev.keel.raft.scripted;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.PeerStatus;
import dev.keel.raft.PeerTransport;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import dev.keel.raft.RaftSettings;
import dev.keel.raft.StateMachine;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.TermAndVote;
import dev.keel.raft.protocol.RaftMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.jspecify.annotations.Nullable;

/**
 * One real {@link RaftPeer} whose every peer-to-peer message goes to the test, which plays all the
 * other members: it decides which messages exist, in which order, and when time passes. Messages
 * the peer sends queue up per destination; {@link #expect} takes the next one. Time is Pekko's
 * {@link ManualTime} plus a matching {@code RaftClock}, so timers fire only when the test calls
 * {@link #advance}; the actors still run on real threads, so every wait is bounded by {@link #WAIT}
 * of real time.
 *
 * <p>The test kit runs in virtual time; see {@link ScriptedTestKit}.
 */
final class ScriptedPeer implements AutoCloseable {

  /** The election timeout of {@link #settings()}: fixed, so elections start when a test says. */
  static final Duration ELECTION_TIMEOUT = Duration.ofMillis(1000);

  /** The heartbeat interval of {@link #settings()}. */
  static final Duration HEARTBEAT = Duration.ofMillis(100);

  /** The request timeout of {@link #settings()}. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Longest real time any expectation waits for the peer; {@code -Dkeel.scripted.wait=2s} shortens
   * it where a failure should come fast (mutation testing, where most mutants fail by a wait).
   */
  static final Duration WAIT =
      Duration.parse(
          "PT" + System.getProperty("keel.scripted.wait", "5s").toUpperCase(Locale.ROOT));

  /** How long {@link #expectNoMessages()} watches for a message that should not come. */
  static final Duration QUIET = Duration.ofMillis(150);

  private final ActorTestKit kit;
  private final ManualTime time;
  private final AtomicLong clockNanos;
  private final Map<String, LinkedBlockingDeque<RaftMessage>> outbox = new ConcurrentHashMap<>();
  final String id;
  final List<String> members;
  final ScriptedStorage storage;
  final ActorRef<RaftPeer.Command> ref;

  private ScriptedPeer(Builder builder) {
    this.kit = builder.kit;
    this.time = ManualTime.get(kit.system());
    this.clockNanos = builder.clockNanos;
    this.id = builder.id;
    this.members = builder.members;
    this.storage = builder.storage;
    for (String member : members) {
      outbox.put(member, new LinkedBlockingDeque<>());
    }
    PeerTransport transport =
        new PeerTransport() {
          @Override
          public void send(String to, RaftMessage message) {
            LinkedBlockingDeque<RaftMessage> queue = outbox.get(to);
            if (queue == null) {
              throw new AssertionError(id + " sent to unknown member " + to + ": " + message);
            }
            queue.addLast(message);
          }

          @Override
          public @Nullable ActorRef<RaftPeer.Command> resolve(String peerId) {
            return null;
          }
        };
    RaftPeer.Setup<String, String, Object> setup =
        RaftPeer.<String, String, Object>setup(
                id, members, transport, storage, builder.stateMachine)
            .settings(builder.settings)
            .clock(clockNanos::get)
            .random(new Random(builder.seed))
            .build();
    this.ref = kit.spawn(RaftPeer.create(setup), id + "-" + SPAWNED.incrementAndGet());
  }

  private static final AtomicLong SPAWNED = new AtomicLong();

  /** Settings for scripts: fixed election timeout, 100 ms heartbeats, pre-vote and check-quorum. */
  static RaftSettings settings() {
    return RaftSettings.defaults()
        .withTimeouts(ELECTION_TIMEOUT, ELECTION_TIMEOUT, HEARTBEAT)
        .withRequestTimeout(REQUEST_TIMEOUT)
        .withSnapshots(0, 64 * 1024);
  }

  static Builder builder(ScriptedTestKit kit) {
    return new Builder(kit.actorTestKit());
  }

  /** Builds a {@link ScriptedPeer}. */
  static final class Builder {
    private final ActorTestKit kit;
    private String id = "n1";
    private List<String> members = List.of("n1", "n2", "n3");
    private RaftSettings settings = ScriptedPeer.settings();
    private ScriptedStorage storage = new ScriptedStorage();
    private Supplier<? extends StateMachine<String, String, Object>> stateMachine =
        ListStateMachine::new;
    private long seed = 1;
    private AtomicLong clockNanos = new AtomicLong(Duration.ofDays(1).toNanos());

    private Builder(ActorTestKit kit) {
      this.kit = kit;
    }

    Builder members(String... names) {
      this.members = List.of(names);
      this.id = names[0];
      return this;
    }

    Builder settings(RaftSettings value) {
      this.settings = value;
      return this;
    }

    Builder storage(ScriptedStorage value) {
      this.storage = value;
      return this;
    }

    Builder stateMachine(Supplier<? extends StateMachine<String, String, Object>> value) {
      this.stateMachine = value;
      return this;
    }

    /** Starts from durable state: this term and vote, and these entries, already stored. */
    Builder recovered(TermAndVote termAndVote, List<LogEntry> entries) {
      storage.inner().saveTermAndVote(termAndVote);
      if (!entries.isEmpty()) {
        storage.inner().appendEntries(entries);
      }
      return this;
    }

    /** Continues the clock of an earlier incarnation, for restarts. */
    Builder clockOf(ScriptedPeer previous) {
      this.clockNanos = previous.clockNanos;
      return this;
    }

    ScriptedPeer start() {
      return new ScriptedPeer(this);
    }
  }

  /** The names of the members the test plays. */
  List<String> others() {
    return members.stream().filter(m -> !m.equals(id)).toList();
  }

  // ---- messages

  /** Hands {@code message} to the peer as if it came over the network. */
  void deliver(RaftMessage message) {
    ref.tell(message);
  }

  /** The next message the peer sends to {@code to}; fails unless it is a {@code type}. */
  <T extends RaftMessage> T expect(String to, Class<T> type) {
    RaftMessage message = poll(to);
    assertThat(message).as("next message from %s to %s", id, to).isNotNull();
    assertThat(message).as("next message from %s to %s", id, to).isInstanceOf(type);
    return type.cast(message);
  }

  private @Nullable RaftMessage poll(String to) {
    try {
      return outbox.get(to).pollFirst(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * The next message to {@code to} of type {@code type}, passing over messages of other types (for
   * a script in which whether the peer sends something else first is a race that does not matter).
   */
  <T extends RaftMessage> T expectPassingOver(String to, Class<T> type) {
    for (int i = 0; i < 100; i++) {
      RaftMessage message = poll(to);
      assertThat(message).as("next %s from %s to %s", type.getSimpleName(), id, to).isNotNull();
      if (type.isInstance(message)) {
        return type.cast(message);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " among 100 messages to " + to);
  }

  /** The next message to every other member, each of which must be a {@code type}. */
  <T extends RaftMessage> List<T> expectEach(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (String member : others()) {
      out.add(expect(member, type));
    }
    return out;
  }

  /** Takes every message sent to {@code to} so far. */
  List<RaftMessage> drain(String to) {
    List<RaftMessage> out = new ArrayList<>();
    outbox.get(to).drainTo(out);
    return out;
  }

  /** The last message of {@code type} sent to {@code to} so far, or null; takes all of them. */
  <T extends RaftMessage> @Nullable T drainLast(String to, Class<T> type) {
    T last = null;
    for (RaftMessage message : drain(to)) {
      if (type.isInstance(message)) {
        last = type.cast(message);
      }
    }
    return last;
  }

  /**
   * Advances one heartbeat at a time, at most {@code maxTicks} times, until a message of {@code
   * type} goes to {@code to}; returns it, or null if none went. Takes what else was sent to {@code
   * to} meanwhile.
   */
  <T extends RaftMessage> @Nullable T tickUntilSent(String to, Class<T> type, int maxTicks) {
    T sent = null;
    for (int i = 0; i < maxTicks && sent == null; i++) {
      advance(HEARTBEAT);
      sent = drainLast(to, type);
    }
    return sent;
  }

  /** Forgets every message sent so far, to every member. */
  void drainAll() {
    for (String member : others()) {
      drain(member);
    }
  }

  /**
   * Lets the peer process what it has and fails if it sends anything to anyone meanwhile. The
   * status round trip proves the peer's own mailbox processed; the quiet period covers its
   * children.
   */
  void expectNoMessages() {
    status();
    try {
      for (String member : others()) {
        RaftMessage message = outbox.get(member).pollFirst(QUIET.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(message).as("message from %s to %s", id, member).isNull();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Like {@link #expectNoMessages()}, for one member only. */
  void expectNoMessagesTo(String member) {
    status();
    try {
      RaftMessage message = outbox.get(member).pollFirst(QUIET.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(message).as("message from %s to %s", id, member).isNull();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  // ---- time

  /**
   * Moves time forward: the peer's clock, then every timer due in the actor system. First the peer
   * processes everything sent to it before, so no message sees a clock moved under it.
   */
  void advance(Duration duration) {
    status();
    clockNanos.addAndGet(duration.toNanos());
    time.timePasses(duration);
  }

  // ---- clients

  /** The peer's status, once it processed everything sent to it before. */
  PeerStatus status() {
    TestProbe<PeerStatus> probe = kit.createTestProbe();
    ref.tell(new RaftPeer.GetStatus(probe.ref()));
    return probe.receiveMessage(WAIT);
  }

  /** Waits until the peer has the given role. */
  void awaitRole(PeerStatus.Role role) {
    TestProbe<PeerStatus> probe = kit.createTestProbe();
    probe.awaitAssert(
        WAIT,
        () -> {
          assertThat(status().role()).as("role of %s", id).isEqualTo(role);
          return null;
        });
  }

  /** Waits until the peer applied everything up to {@code index}. */
  void awaitApplied(long index) {
    awaitAssert(
        () ->
            assertThat(status().lastApplied())
                .as("applied by %s", id)
                .isGreaterThanOrEqualTo(index));
  }

  /** Retries {@code assertion} until it passes, for at most {@link #WAIT}. */
  void awaitAssert(Runnable assertion) {
    TestProbe<PeerStatus> probe = kit.createTestProbe();
    probe.awaitAssert(
        WAIT,
        () -> {
          assertion.run();
          return null;
        });
  }

  /** Waits until the peer, as leader, knows that {@code follower} holds entries up to index. */
  void awaitMatch(String follower, long index) {
    TestProbe<PeerStatus> probe = kit.createTestProbe();
    probe.awaitAssert(
        WAIT,
        () -> {
          assertThat(status().followerMatchIndex().get(follower))
              .as("match index of %s at %s", follower, id)
              .isGreaterThanOrEqualTo(index);
          return null;
        });
  }

  /** Sends a write; the probe gets its answer. */
  TestProbe<RaftReply<Object>> write(String command) {
    TestProbe<RaftReply<Object>> client = kit.createTestProbe();
    ref.tell(new RaftPeer.Write<>(command, client.ref()));
    return client;
  }

  /** Sends a write of any command, serializable or not; the probe gets its answer. */
  TestProbe<RaftReply<Object>> writeAny(Object command) {
    TestProbe<RaftReply<Object>> client = kit.createTestProbe();
    ref.tell(new RaftPeer.Write<>(command, client.ref()));
    return client;
  }

  /** Asks for a snapshot; the probe gets its answer. */
  TestProbe<RaftReply<Long>> takeSnapshot() {
    TestProbe<RaftReply<Long>> caller = kit.createTestProbe();
    ref.tell(new RaftPeer.TakeSnapshot(caller.ref()));
    return caller;
  }

  /** Sends a read; the probe gets its answer. */
  TestProbe<RaftReply<Object>> read(String query, RaftPeer.ReadConsistency consistency) {
    TestProbe<RaftReply<Object>> client = kit.createTestProbe();
    ref.tell(new RaftPeer.Read<>(query, consistency, client.ref()));
    return client;
  }

  /** A probe that sees the peer stop. */
  TestProbe<Object> watcher() {
    return kit.createTestProbe();
  }

  /** The test kit, for probes. */
  ActorTestKit kit() {
    return kit;
  }

  @Override
  public void close() {
    kit.stop(ref, WAIT);
  }
}
