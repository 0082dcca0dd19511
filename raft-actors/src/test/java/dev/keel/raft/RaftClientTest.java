package dev.keel.raft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.persistence.InMemoryRaftStorage;
import dev.keel.raft.protocol.RaftMessage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@link RaftClient} against scripted peers (each answers requests from its own script), and
 * against a real group through its first election and a leader crash.
 */
class RaftClientTest {

  private static final ActorTestKit testKit = ActorTestKit.create("RaftClientTest");
  private static final RaftClient.Settings FAST =
      new RaftClient.Settings(
          Duration.ofSeconds(5),
          Duration.ofMillis(500),
          Duration.ofMillis(10),
          Duration.ofMillis(50));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void followsARedirectToTheLeaderAndGoesThereFirstNextTime() throws Exception {
    Scripted n1 = new Scripted("n1", () -> new RaftReply.NotLeader<>("n2", null));
    Scripted n2 = new Scripted("n2", () -> new RaftReply.Ok<>("done", 7));
    RaftClient<String, String, String> client = client(FAST, n1, n2);

    assertThat(write(client)).isEqualTo(new RaftReply.Ok<>("done", 7));
    assertThat(client.believedLeader()).isEqualTo("n2");
    assertThat(write(client)).isInstanceOf(RaftReply.Ok.class);
    assertThat(n1.requests.get()).isEqualTo(1);
    assertThat(n2.requests.get()).isEqualTo(2);
  }

  @Test
  void retriesNoLeaderOnTheOtherMembersUntilOneLeads() throws Exception {
    Scripted n1 = new Scripted("n1", RaftReply.NoLeader::new);
    Scripted n2 = new Scripted("n2", RaftReply.NoLeader::new);
    Scripted n3 = new Scripted("n3", RaftReply.NoLeader::new);
    n3.then(3, () -> new RaftReply.Ok<>("late", 1));
    RaftClient<String, String, String> client = client(FAST, n1, n2, n3);

    assertThat(write(client)).isEqualTo(new RaftReply.Ok<>("late", 1));
    assertThat(n1.requests.get() + n2.requests.get() + n3.requests.get()).isGreaterThan(3);
  }

  @Test
  void givesUpAtItsDeadlineWithTheLastAnswerThatMeansNotProposed() throws Exception {
    Scripted n1 = new Scripted("n1", RaftReply.NoLeader::new);
    Scripted n2 = new Scripted("n2", () -> new RaftReply.NotLeader<>("n1", null));
    RaftClient<String, String, String> client = client(FAST, n1, n2);

    long start = System.nanoTime();
    RaftReply<String> reply =
        client.write("w", Duration.ofMillis(300)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(reply).isInstanceOfAny(RaftReply.NoLeader.class, RaftReply.NotLeader.class);
    assertThat(millis).isBetween(250L, 2_000L);
  }

  @Test
  void neverRetriesAWriteTheLeaderAnsweredTimedOut() throws Exception {
    Scripted n1 = new Scripted("n1", RaftReply.TimedOut::new);
    Scripted n2 = new Scripted("n2", () -> new RaftReply.Ok<>("must not happen", 1));
    RaftClient<String, String, String> client = client(FAST, n1, n2);

    assertThat(write(client)).isInstanceOf(RaftReply.TimedOut.class);
    assertThat(n1.requests.get()).isEqualTo(1);
    assertThat(n2.requests.get()).isZero();
  }

  @Test
  void aWriteWithoutAnyAnswerIsTimedOutAndNotRetried() throws Exception {
    Scripted n1 = new Scripted("n1", () -> null);
    Scripted n2 = new Scripted("n2", () -> new RaftReply.Ok<>("must not happen", 1));
    RaftClient<String, String, String> client = client(FAST, n1, n2);

    long start = System.nanoTime();
    assertThat(write(client)).isInstanceOf(RaftReply.TimedOut.class);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3_000);
    assertThat(n1.requests.get()).isEqualTo(1);
    assertThat(n2.requests.get()).isZero();
    // The silent member is no longer taken for the leader.
    assertThat(client.believedLeader()).isEqualTo("n2");
    assertThat(write(client)).isInstanceOf(RaftReply.Ok.class);
  }

  @Test
  void aReadThatGetsNoAnswerIsTriedOnAnotherMember() throws Exception {
    Scripted n1 = new Scripted("n1", () -> null);
    Scripted n2 = new Scripted("n2", () -> new RaftReply.Ok<>("read", 3));
    RaftClient<String, String, String> client = client(FAST, n1, n2);

    assertThat(client.read("q").toCompletableFuture().get(5, TimeUnit.SECONDS))
        .isEqualTo(new RaftReply.Ok<>("read", 3));
  }

  @Test
  void completesOnTheActorSystemsDispatcherNeverTheCommonPool() throws Exception {
    Scripted n1 = new Scripted("n1", () -> new RaftReply.Ok<>("x", 1));
    RaftClient<String, String, String> client = client(FAST, n1);

    String thread =
        client
            .write("w")
            .thenApply(reply -> Thread.currentThread().getName())
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);
    assertThat(thread).doesNotContain("ForkJoinPool.commonPool");
  }

  @Test
  void retriesThroughTheFirstElectionAndALeaderCrash() throws Exception {
    Map<String, ActorRef<RaftPeer.Command>> peers = new ConcurrentHashMap<>();
    List<String> members = List.of("n1", "n2", "n3");
    RaftSettings settings = RaftSettings.defaults().withRequestTimeout(Duration.ofSeconds(1));
    for (String id : members) {
      PeerTransport transport =
          new PeerTransport() {
            @Override
            public void send(String to, RaftMessage message) {
              ActorRef<RaftPeer.Command> target = peers.get(to);
              if (target != null) {
                target.tell(message);
              }
            }

            @Override
            public @Nullable ActorRef<RaftPeer.Command> resolve(String peerId) {
              return peers.get(peerId);
            }
          };
      RaftPeer.Setup<String, RegisterStateMachine.Get, Optional<String>> setup =
          RaftPeer.setup(
                  id,
                  members,
                  transport,
                  new InMemoryRaftStorage(),
                  RegisterStateMachine::ofStrings)
              .settings(settings)
              .random(new SplittableRandom(id.hashCode()))
              .build();
      peers.put(id, testKit.spawn(RaftPeer.create(setup), "elected-" + id));
    }
    RaftClient<String, RegisterStateMachine.Get, Optional<String>> client =
        RaftClient.create(
            testKit.system(),
            Map.copyOf(peers),
            new RaftClient.Settings(
                Duration.ofSeconds(15),
                Duration.ofSeconds(2),
                Duration.ofMillis(20),
                Duration.ofMillis(200)));

    // Sent before any leader exists: answered NoLeader until the election is over.
    assertThat(client.write("first").toCompletableFuture().get(20, TimeUnit.SECONDS))
        .isInstanceOf(RaftReply.Ok.class);
    String leader = client.believedLeader();
    testKit.stop(peers.remove(leader));

    // Reads are retried past the crashed leader; the new leader answers with the write.
    assertThat(
            client
                .read(RegisterStateMachine.Get.VALUE)
                .toCompletableFuture()
                .get(20, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(
            RaftReply.Ok.class, ok -> assertThat(ok.result()).isEqualTo(Optional.of("first")));
    assertThat(client.believedLeader()).isNotEqualTo(leader);
    assertThat(client.write("second").toCompletableFuture().get(20, TimeUnit.SECONDS))
        .isInstanceOf(RaftReply.Ok.class);
  }

  private static RaftReply<String> write(RaftClient<String, String, String> client)
      throws Exception {
    return client.write("w").toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static RaftClient<String, String, String> client(
      RaftClient.Settings settings, Scripted... members) {
    Map<String, ActorRef<RaftPeer.Command>> refs = new HashMap<>();
    for (Scripted member : members) {
      refs.put(member.name, member.ref);
    }
    return RaftClient.create(testKit.system(), refs, settings);
  }

  /**
   * A fake peer: answers each Write or Read with its script's next answer (the default once the
   * script runs out), or not at all when the answer is null; counts the requests.
   */
  private static final class Scripted {
    private static final AtomicInteger instances = new AtomicInteger();

    final String name;
    final AtomicInteger requests = new AtomicInteger();
    private final Deque<Supplier<RaftReply<String>>> script = new ArrayDeque<>();
    private final Supplier<RaftReply<String>> fallback;
    final ActorRef<RaftPeer.Command> ref;

    Scripted(String name, Supplier<RaftReply<String>> fallback) {
      this.name = name;
      this.fallback = fallback;
      this.ref = testKit.spawn(behavior(), "scripted-" + name + "-" + instances.incrementAndGet());
    }

    /** From the {@code nth} request on, answers with {@code answer}. */
    void then(int nth, Supplier<RaftReply<String>> answer) {
      synchronized (script) {
        for (int i = 1; i < nth; i++) {
          script.add(fallback);
        }
        script.add(answer);
      }
    }

    private Behavior<RaftPeer.Command> behavior() {
      return Behaviors.receiveMessage(
          command -> {
            ActorRef<RaftReply<String>> replyTo = replyTo(command);
            if (replyTo != null) {
              requests.incrementAndGet();
              Supplier<RaftReply<String>> next;
              synchronized (script) {
                next =
                    script.size() > 1 ? script.poll() : script.isEmpty() ? fallback : script.peek();
              }
              RaftReply<String> answer = next.get();
              if (answer != null) {
                replyTo.tell(answer);
              }
            }
            return Behaviors.same();
          });
    }

    @SuppressWarnings("unchecked") // the test's requests all expect String results
    private static @Nullable ActorRef<RaftReply<String>> replyTo(RaftPeer.Command command) {
      if (command instanceof RaftPeer.Write<?, ?> write) {
        return (ActorRef<RaftReply<String>>) (ActorRef<?>) write.replyTo();
      }
      if (command instanceof RaftPeer.Read<?, ?> read) {
        return (ActorRef<RaftReply<String>>) (ActorRef<?>) read.replyTo();
      }
      return null;
    }
  }
}
