package dev.keel.raft.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftReply;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One serializer used from many threads at once gives every thread its own messages back. */
class ConcurrentSerializationTest {

  private static final int THREADS = 8;
  private static final int ROUND_TRIPS_PER_THREAD = 5_000;

  private static SerializationTestKit kit;

  @BeforeAll
  static void start() {
    kit = new SerializationTestKit("ConcurrentSerializationTest");
  }

  @AfterAll
  static void stop() {
    kit.shutdown();
  }

  @Test
  void eightThreadsRoundTripTheirOwnMessages() throws Exception {
    TestProbe<RaftReply<Object>> replies = kit.testKit.createTestProbe();
    TestProbe<PeerStatus> statuses = kit.testKit.createTestProbe();
    List<Object> messages = new ArrayList<>(Samples.protocol());
    messages.addAll(
        Samples.clientRequests(
            replies.ref(),
            statuses.ref(),
            kit.testKit.<RaftReply<Long>>createTestProbe().ref(),
            kit.testKit.<Done>createTestProbe().ref()));
    messages.addAll(Samples.replies(kit.testKit.spawn(Behaviors.ignore())));
    messages.addAll(Samples.statuses());
    messages.add(Samples.appendEntries(64, 32));

    List<Callable<Integer>> workers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int offset = t;
      workers.add(
          () -> {
            int checked = 0;
            for (int i = 0; i < ROUND_TRIPS_PER_THREAD; i++) {
              Object message = messages.get((i + offset) % messages.size());
              Object copy = kit.roundTrip(message);
              assertThat(Samples.sameMessage(copy, message)).as("%s", message).isTrue();
              checked++;
            }
            return checked;
          });
    }
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<Integer>> results = pool.invokeAll(workers, 60, TimeUnit.SECONDS);
      for (Future<Integer> result : results) {
        assertThat(result.isCancelled()).as("finished within 60 s").isFalse();
        assertThat(result.get()).isEqualTo(ROUND_TRIPS_PER_THREAD);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
