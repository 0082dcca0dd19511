package dev.keel.raft.persistence.journal;

import static dev.keel.raft.persistence.journal.Journals.entries;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.TermAndVote;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The pure batching rules: merged events replay to the same state as the writes one by one. */
class WriteBatchesTest {

  private static StorageWrite append(long from, long to, long term) {
    return new StorageWrite.Append(entries(from, to, term));
  }

  private static StorageWrite vote(long term, String candidate) {
    return new StorageWrite.SaveTermAndVote(new TermAndVote(term, candidate));
  }

  @Test
  void aBatchBecomesAtMostOneTermEventAndOneEntriesEvent() {
    List<JournalEvent> events =
        WriteBatches.toEvents(
            List.of(vote(1, "a"), append(1, 3, 1), vote(2, "b"), append(4, 5, 2), vote(3, null)));

    List<LogEntry> expected = new ArrayList<>(entries(1, 3, 1));
    expected.addAll(entries(4, 5, 2));
    assertThat(events)
        .containsExactly(
            new JournalEvent.TermAndVoteChanged(3, null),
            new JournalEvent.EntriesAppended(expected));
  }

  @Test
  void aLaterAppendCutsTheMergedEntriesAtItsFirstIndex() {
    List<JournalEvent> events =
        WriteBatches.toEvents(List.of(append(5, 9, 1), append(7, 8, 2), append(9, 9, 2)));

    List<LogEntry> expected = new ArrayList<>(entries(5, 6, 1));
    expected.addAll(entries(7, 9, 2));
    assertThat(events).containsExactly(new JournalEvent.EntriesAppended(expected));
  }

  @Test
  void aLaterAppendBeforeTheMergedStartReplacesEverything() {
    List<JournalEvent> events = WriteBatches.toEvents(List.of(append(5, 9, 1), append(3, 4, 2)));

    assertThat(events).containsExactly(new JournalEvent.EntriesAppended(entries(3, 4, 2)));
  }

  @Test
  void mergedEventsReplayToTheSameLogAsTheWritesOneByOne() {
    Random random = new Random(4711);
    for (int round = 0; round < 500; round++) {
      JournalState oneByOne = new JournalState("p");
      JournalState merged = new JournalState("p");
      List<StorageWrite> batch = new ArrayList<>();
      WriteBatches.Issued issued = new WriteBatches.Issued(0, 0, 0);
      long last = 0;
      for (int i = 0; i < 1 + random.nextInt(8); i++) {
        long first = 1 + random.nextInt((int) last + 1);
        StorageWrite write = append(first, first + random.nextInt(4), round + i + 1);
        assertThat(issued.refusal(write)).isNull();
        issued.accept(write);
        last = first + ((StorageWrite.Append) write).entries().size() - 1;
        batch.add(write);
        oneByOne.apply(new JournalEvent.EntriesAppended(((StorageWrite.Append) write).entries()));
      }
      for (JournalEvent event : WriteBatches.toEvents(batch)) {
        merged.apply((JournalEvent.EntriesAppended) event);
      }
      assertThat(merged.recovered()).isEqualTo(oneByOne.recovered());
    }
  }

  @Test
  void issuedStateRefusesWhatTheStorageContractForbids() {
    WriteBatches.Issued issued = new WriteBatches.Issued(3, 2, 0);

    assertThat(issued.refusal(vote(2, "a"))).contains("term must not decrease: 3 -> 2");
    assertThat(issued.refusal(append(4, 4, 3))).contains("gap: first new index 4, last stored 2");
    assertThat(issued.refusal(new StorageWrite.Append(List.of()))).isEqualTo("no entries");
    assertThat(issued.refusal(append(1, 5, 3))).isNull();
    assertThat(issued.refusal(vote(3, "b"))).isNull();
  }
}
