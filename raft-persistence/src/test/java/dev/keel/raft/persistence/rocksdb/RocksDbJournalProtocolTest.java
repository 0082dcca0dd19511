package dev.keel.raft.persistence.rocksdb;

import static dev.keel.raft.persistence.rocksdb.JournalClient.atomic;
import static dev.keel.raft.persistence.rocksdb.JournalClient.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.JournalProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal plugin contract, through Pekko's journal protocol. */
class RocksDbJournalProtocolTest {

  private static final long MAX = Long.MAX_VALUE;

  @TempDir Path root;

  private ActorTestKit kit;
  private JournalClient journal;

  @BeforeEach
  void start() {
    kit = TestSystems.start(root);
    journal = new JournalClient(kit, RocksDbPlugins.JOURNAL_PLUGIN_ID);
  }

  @AfterEach
  void shutdown() {
    kit.shutdownTestKit();
  }

  private void restart() {
    kit.shutdownTestKit();
    start();
  }

  @Test
  void replayHonorsFromToAndMax() {
    journal.writeRange("p", 1, 10);

    assertThat(journal.replay("p", 1, MAX, MAX).sequenceNrs())
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(journal.replay("p", 3, 7, MAX).sequenceNrs()).containsExactly(3L, 4L, 5L, 6L, 7L);
    assertThat(journal.replay("p", 1, MAX, 4).sequenceNrs()).containsExactly(1L, 2L, 3L, 4L);
    assertThat(journal.replay("p", 4, 9, 2).payloads()).containsExactly("e4", "e5");
    assertThat(journal.replay("p", 7, 3, MAX).events()).isEmpty();
    assertThat(journal.replay("p", 11, MAX, MAX).events()).isEmpty();
    assertThat(journal.replay("p", 3, 7, MAX).highestSequenceNr()).isEqualTo(10);
  }

  @Test
  void replayReturnsWhatWasWrittenWithItsMetadata() {
    journal.writeRange("p", 1, 2);
    JournalClient.Replay replay = journal.replay("p", 1, MAX, MAX);
    assertThat(replay.events().get(1).persistenceId()).isEqualTo("p");
    assertThat(replay.events().get(1).writerUuid()).isEqualTo(JournalClient.WRITER);
    assertThat(replay.payloads()).containsExactly("e1", "e2");
  }

  @Test
  void unknownPersistenceIdReplaysNothingWithHighestZero() {
    journal.writeRange("p", 1, 3);
    JournalClient.Replay replay = journal.replay("other", 1, MAX, MAX);
    assertThat(replay.events()).isEmpty();
    assertThat(replay.highestSequenceNr()).isZero();
  }

  @Test
  void deleteMessagesToRemovesOnlyThePrefix() {
    journal.writeRange("p", 1, 6);
    journal.writeRange("p0", 1, 2);

    journal.deleteTo("p", 3);

    JournalClient.Replay replay = journal.replay("p", 1, MAX, MAX);
    assertThat(replay.sequenceNrs()).containsExactly(4L, 5L, 6L);
    assertThat(replay.highestSequenceNr()).isEqualTo(6);
    assertThat(journal.replay("p0", 1, MAX, MAX).sequenceNrs()).containsExactly(1L, 2L);
    restart();
    assertThat(journal.replay("p", 1, MAX, MAX).sequenceNrs()).containsExactly(4L, 5L, 6L);
  }

  @Test
  void highestSequenceNumberSurvivesDeletionOfAllEvents() {
    journal.writeRange("p", 1, 5);

    journal.deleteTo("p", MAX);

    JournalClient.Replay replay = journal.replay("p", 1, MAX, MAX);
    assertThat(replay.events()).isEmpty();
    assertThat(replay.highestSequenceNr()).isEqualTo(5);
    restart();
    assertThat(journal.replay("p", 1, MAX, MAX).highestSequenceNr()).isEqualTo(5);
    journal.writeRange("p", 6, 6);
    assertThat(journal.replay("p", 1, MAX, MAX).sequenceNrs()).containsExactly(6L);
  }

  @Test
  void deletingBeyondTheHighestDeletesEverythingAndKeepsTheHighest() {
    journal.writeRange("p", 1, 3);
    journal.deleteTo("p", 100);
    JournalClient.Replay replay = journal.replay("p", 1, MAX, MAX);
    assertThat(replay.events()).isEmpty();
    assertThat(replay.highestSequenceNr()).isEqualTo(3);
  }

  @Test
  void atomicWriteWithAnUnserializableEventIsRejectedAsAWhole() {
    List<Object> results =
        journal.write(
            atomic(event("p", 1, "fine"), event("p", 2, new Object())),
            atomic(event("q", 1, "other")));

    assertThat(results.subList(0, 2))
        .allMatch(JournalProtocol.WriteMessageRejected.class::isInstance);
    assertThat(results.get(2)).isInstanceOf(JournalProtocol.WriteMessageSuccess.class);
    JournalClient.Replay rejected = journal.replay("p", 1, MAX, MAX);
    assertThat(rejected.events()).isEmpty();
    assertThat(rejected.highestSequenceNr()).isZero();
    assertThat(journal.replay("q", 1, MAX, MAX).payloads()).containsExactly("other");
  }

  @Test
  void atomicWriteIsStoredInOneSyncedBatch() {
    journal.writeRange("warm-up", 1, 1);
    JournalStatistics before = statistics();

    journal.write(atomic(event("p", 1, "a"), event("p", 2, "b"), event("p", 3, "c")));

    JournalStatistics after = statistics();
    assertThat(after.batches() - before.batches()).isEqualTo(1);
    assertThat(after.atomicWrites() - before.atomicWrites()).isEqualTo(1);
    assertThat(after.events() - before.events()).isEqualTo(3);
    assertThat(journal.replay("p", 1, MAX, MAX).payloads()).containsExactly("a", "b", "c");
  }

  @Test
  void interleavedPersistenceIdsKeepTheirOwnOrder() {
    journal.writeRange("a", 1, 2);
    journal.writeRange("b", 1, 1);
    journal.writeRange("a", 3, 4);
    journal.writeRange("ab", 1, 3);
    journal.writeRange("b", 2, 3);

    assertThat(journal.replay("a", 1, MAX, MAX).payloads()).containsExactly("e1", "e2", "e3", "e4");
    assertThat(journal.replay("b", 1, MAX, MAX).payloads()).containsExactly("e1", "e2", "e3");
    assertThat(journal.replay("ab", 1, MAX, MAX).highestSequenceNr()).isEqualTo(3);
  }

  private JournalStatistics statistics() {
    return RocksDbStatistics.get(kit.system())
        .journal(RocksDbPlugins.JOURNAL_PLUGIN_ID)
        .orElseThrow();
  }
}
