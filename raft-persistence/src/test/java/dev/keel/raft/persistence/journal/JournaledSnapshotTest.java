package dev.keel.raft.persistence.journal;

import static dev.keel.raft.persistence.journal.Journals.assertLog;
import static dev.keel.raft.persistence.journal.Journals.await;
import static dev.keel.raft.persistence.journal.Journals.entries;
import static dev.keel.raft.persistence.journal.Journals.onRocksDb;
import static dev.keel.raft.persistence.journal.Journals.recover;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.raft.persistence.RecoveredState;
import dev.keel.raft.persistence.SnapshotMetadata;
import dev.keel.raft.persistence.StoredSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots written through {@link JournaledRaftStorage} are what a new actor system recovers. */
class JournaledSnapshotTest {

  @TempDir Path dir;

  private ActorTestKit kit;

  @AfterEach
  void shutdown() {
    if (kit != null) {
      kit.shutdownTestKit();
    }
  }

  private static StoredSnapshot snapshot(long index, long term, String state) {
    return new StoredSnapshot(
        new SnapshotMetadata(index, term, List.of("n1", "n2", "n3")),
        state.getBytes(StandardCharsets.UTF_8));
  }

  private RecoveredState recoverInNewSystem() {
    kit.shutdownTestKit();
    kit = Journals.kit();
    return recover(onRocksDb(kit, dir, "n1"));
  }

  @Test
  void snapshotReplacesTheLogPrefixAndKeepsLaterEntries() {
    kit = Journals.kit();
    JournaledRaftStorage storage = onRocksDb(kit, dir, "n1");
    recover(storage);
    await(storage.appendEntries(entries(1, 10, 1)));
    StoredSnapshot first = snapshot(6, 1, "state at 6");
    await(storage.saveSnapshot(first, true));
    await(storage.appendEntries(entries(11, 12, 2)));

    RecoveredState recovered = recoverInNewSystem();

    assertThat(recovered.snapshot()).isEqualTo(first);
    List<dev.keel.raft.persistence.LogEntry> expected =
        new java.util.ArrayList<>(entries(7, 10, 1));
    expected.addAll(entries(11, 12, 2));
    assertLog(recovered.entries(), expected);
  }

  @Test
  void installedSnapshotThatContradictsTheLogDiscardsItWhole() {
    kit = Journals.kit();
    JournaledRaftStorage storage = onRocksDb(kit, dir, "n1");
    recover(storage);
    await(storage.appendEntries(entries(1, 5, 1)));
    StoredSnapshot installed = snapshot(20, 3, "leader's state at 20");
    await(storage.saveSnapshot(installed, false));
    // Recovery then starts from the journal actor's state snapshot, the log events deleted.
    Journals.awaitCompactions(kit, storage, 1);
    await(storage.appendEntries(entries(21, 22, 3)));

    RecoveredState recovered = recoverInNewSystem();

    assertThat(recovered.snapshot()).isEqualTo(installed);
    assertLog(recovered.entries(), entries(21, 22, 3));
  }

  @Test
  void writesThatContradictTheSnapshotAreRefused() {
    kit = Journals.kit();
    JournaledRaftStorage storage = onRocksDb(kit, dir, "n1");
    recover(storage);
    await(storage.appendEntries(entries(1, 5, 1)));
    await(storage.saveSnapshot(snapshot(4, 1, "at 4"), true));

    assertThatThrownBy(() -> await(storage.saveSnapshot(snapshot(3, 1, "older"), true)))
        .hasMessageContaining("not newer");
    RecoveredState recovered = recoverInNewSystem();
    assertThat(recovered.snapshot().metadata().lastIncludedIndex()).isEqualTo(4);
    assertLog(recovered.entries(), entries(5, 5, 1));
  }
}
