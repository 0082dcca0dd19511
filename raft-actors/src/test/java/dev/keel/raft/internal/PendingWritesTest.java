package dev.keel.raft.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.raft.RaftReply;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Client writes waiting for their entries, in index order. */
class PendingWritesTest {

  private static ActorTestKit kit;
  private static ActorRef<RaftReply<Object>> client;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create();
    client = kit.<RaftReply<Object>>createTestProbe().ref();
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private static PendingWrites.PendingWrite write(long index, long deadline) {
    return new PendingWrites.PendingWrite(index, 1, client, deadline);
  }

  @Test
  void refusesAWriteThatDoesNotComeAfterTheLastOne() {
    PendingWrites writes = new PendingWrites();
    writes.add(write(5, 0));
    assertThatThrownBy(() -> writes.add(write(5, 0))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> writes.add(write(4, 0))).isInstanceOf(IllegalStateException.class);
    writes.add(write(6, 0));
    assertThat(writes.size()).isEqualTo(2);
  }

  @Test
  void takesWritesUpToAnIndexFromTheFrontAndFromAnIndexFromTheBack() {
    PendingWrites writes = new PendingWrites();
    for (long index = 1; index <= 6; index++) {
      writes.add(write(index, 0));
    }
    assertThat(writes.takeUpTo(2))
        .extracting(PendingWrites.PendingWrite::index)
        .containsExactly(1L, 2L);
    assertThat(writes.takeFrom(5))
        .extracting(PendingWrites.PendingWrite::index)
        .containsExactly(5L, 6L);
    assertThat(writes.takeUpTo(2)).isEmpty();
    assertThat(writes.size()).isEqualTo(2);
  }

  @Test
  void takesTheWritesWhoseDeadlineIsReachedIncludingThoseDueNow() {
    PendingWrites writes = new PendingWrites();
    writes.add(write(1, 100));
    writes.add(write(2, 200));
    writes.add(write(3, 150));
    assertThat(writes.takeExpired(99)).isEmpty();
    assertThat(writes.takeExpired(150))
        .extracting(PendingWrites.PendingWrite::index)
        .containsExactly(1L, 3L);
    assertThat(writes.size()).isEqualTo(1);
    assertThat(writes.takeExpired(Long.MAX_VALUE)).hasSize(1);
  }
}
