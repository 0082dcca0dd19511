package dev.keel.raft.persistence.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.DeleteSnapshotSuccess;
import org.apache.pekko.persistence.DeleteSnapshotsSuccess;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.SaveSnapshotSuccess;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotProtocol;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.serialization.Snapshot;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import scala.jdk.javaapi.OptionConverters;

/** The snapshot-store plugin contract, through Pekko's snapshot protocol. */
class RocksDbSnapshotStoreTest {

  private static final long MAX = Long.MAX_VALUE;

  @TempDir Path root;

  private ActorTestKit kit;
  private TestProbe<Object> probe;
  private ActorRef store;

  @BeforeEach
  void start() {
    kit = TestSystems.start(root);
    probe = kit.createTestProbe();
  }

  @AfterEach
  void shutdown() {
    kit.shutdownTestKit();
  }

  private void restart() {
    kit.shutdownTestKit();
    start();
    store = null;
  }

  /** The plugin actor, started on first use (so tests can seed its directory before). */
  private ActorRef store() {
    if (store == null) {
      store =
          Persistence.get(kit.system().classicSystem())
              .snapshotStoreFor(RocksDbPlugins.SNAPSHOT_STORE_PLUGIN_ID, ConfigFactory.empty());
    }
    return store;
  }

  /** Saves through the protocol; the store stamps the current time, as Pekko's base class does. */
  private SnapshotMetadata save(String persistenceId, long sequenceNr) {
    store()
        .tell(
            new SnapshotProtocol.SaveSnapshot(
                new SnapshotMetadata(persistenceId, sequenceNr, 0), "state-" + sequenceNr),
            Adapter.toClassic(probe.ref()));
    return probe.expectMessageClass(SaveSnapshotSuccess.class, TestSystems.TIMEOUT).metadata();
  }

  /**
   * Writes snapshots with chosen timestamps straight into the store's directory, before the plugin
   * opens it; {@code damage} flips a byte of the snapshot with that sequence number (0: none).
   */
  private void seed(long damage, SnapshotMetadata... snapshots) {
    Serialization serialization = SerializationExtension.get(kit.system().classicSystem());
    try (RocksDbStore rocks =
            RocksDbStore.open(root.resolve("snapshots"), RocksDbStore.Kind.SNAPSHOTS);
        WriteBatch batch = new WriteBatch()) {
      for (SnapshotMetadata metadata : snapshots) {
        byte[] key =
            KeyCodec.snapshotKey(
                metadata.persistenceId(), metadata.sequenceNr(), metadata.timestamp());
        byte[] payload =
            serialization.serialize(new Snapshot("state-" + metadata.sequenceNr())).get();
        byte[] value = RecordFormat.encode(key, payload);
        if (metadata.sequenceNr() == damage) {
          value[value.length - 1] ^= 1;
        }
        batch.put(rocks.columnFamily(1), key, value);
      }
      rocks.write(batch);
    } catch (RocksDBException e) {
      throw new AssertionError(e);
    }
  }

  /** Snapshots 1..5 of "p" at timestamps 100..500, and one of "p2" that must never interfere. */
  private void seedFive(long damage) {
    seed(
        damage,
        new SnapshotMetadata("p", 1, 100),
        new SnapshotMetadata("p", 2, 200),
        new SnapshotMetadata("p", 3, 300),
        new SnapshotMetadata("p", 4, 400),
        new SnapshotMetadata("p", 5, 500),
        new SnapshotMetadata("p2", 9, 900));
  }

  private Object loadReply(String persistenceId, SnapshotSelectionCriteria criteria) {
    store()
        .tell(
            new SnapshotProtocol.LoadSnapshot(persistenceId, criteria, MAX),
            Adapter.toClassic(probe.ref()));
    return probe.receiveMessage(TestSystems.TIMEOUT);
  }

  private Optional<SelectedSnapshot> load(
      String persistenceId, SnapshotSelectionCriteria criteria) {
    Object reply = loadReply(persistenceId, criteria);
    assertThat(reply).isInstanceOf(SnapshotProtocol.LoadSnapshotResult.class);
    return OptionConverters.toJava(((SnapshotProtocol.LoadSnapshotResult) reply).snapshot());
  }

  private Optional<Long> loadedSequenceNr(String persistenceId, SnapshotSelectionCriteria c) {
    return load(persistenceId, c).map(selected -> selected.metadata().sequenceNr());
  }

  private static SnapshotSelectionCriteria criteria(
      long maxSequenceNr, long maxTimestamp, long minSequenceNr, long minTimestamp) {
    return SnapshotSelectionCriteria.create(
        maxSequenceNr, maxTimestamp, minSequenceNr, minTimestamp);
  }

  @Test
  void savedSnapshotsAreLoadedWithTheirMetadata() {
    save("p", 1);
    SnapshotMetadata saved = save("p", 2);

    SelectedSnapshot latest = load("p", SnapshotSelectionCriteria.latest()).orElseThrow();

    assertThat(latest.snapshot()).isEqualTo("state-2");
    assertThat(latest.metadata().persistenceId()).isEqualTo("p");
    assertThat(latest.metadata().sequenceNr()).isEqualTo(2);
    assertThat(latest.metadata().timestamp()).isEqualTo(saved.timestamp()).isPositive();
    restart();
    assertThat(load("p", SnapshotSelectionCriteria.latest()).orElseThrow().snapshot())
        .isEqualTo("state-2");
  }

  @Test
  void loadHonorsTheSelectionCriteria() {
    seedFive(0);
    assertThat(loadedSequenceNr("p", criteria(3, MAX, 0, 0))).contains(3L);
    assertThat(loadedSequenceNr("p", criteria(MAX, 250, 0, 0))).contains(2L);
    assertThat(loadedSequenceNr("p", criteria(4, MAX, 2, 0))).contains(4L);
    assertThat(loadedSequenceNr("p", criteria(MAX, 450, 0, 350))).contains(4L);
    assertThat(loadedSequenceNr("p", criteria(MAX, 50, 0, 0))).isEmpty();
    assertThat(loadedSequenceNr("p", criteria(MAX, MAX, 6, 0))).isEmpty();
    assertThat(loadedSequenceNr("p", SnapshotSelectionCriteria.none())).isEmpty();
    assertThat(loadedSequenceNr("unknown", SnapshotSelectionCriteria.latest())).isEmpty();
    assertThat(loadedSequenceNr("p2", SnapshotSelectionCriteria.latest())).contains(9L);
  }

  @Test
  void deletesOneSnapshotByMetadata() {
    seedFive(0);
    store()
        .tell(
            new SnapshotProtocol.DeleteSnapshot(new SnapshotMetadata("p", 5, 500)),
            Adapter.toClassic(probe.ref()));
    probe.expectMessageClass(DeleteSnapshotSuccess.class, TestSystems.TIMEOUT);
    assertThat(loadedSequenceNr("p", SnapshotSelectionCriteria.latest())).contains(4L);

    // Timestamp 0 deletes every snapshot with that sequence number.
    store()
        .tell(
            new SnapshotProtocol.DeleteSnapshot(new SnapshotMetadata("p", 4, 0)),
            Adapter.toClassic(probe.ref()));
    probe.expectMessageClass(DeleteSnapshotSuccess.class, TestSystems.TIMEOUT);
    assertThat(loadedSequenceNr("p", SnapshotSelectionCriteria.latest())).contains(3L);
  }

  @Test
  void deletesSnapshotsMatchingCriteriaAndTheRestSurvivesARestart() {
    seedFive(0);
    store()
        .tell(
            new SnapshotProtocol.DeleteSnapshots("p", criteria(2, MAX, 0, 0)),
            Adapter.toClassic(probe.ref()));
    probe.expectMessageClass(DeleteSnapshotsSuccess.class, TestSystems.TIMEOUT);

    assertThat(loadedSequenceNr("p", criteria(2, MAX, 0, 0))).isEmpty();
    restart();
    assertThat(loadedSequenceNr("p", SnapshotSelectionCriteria.latest())).contains(5L);
    assertThat(loadedSequenceNr("p", criteria(3, MAX, 0, 0))).contains(3L);
    assertThat(loadedSequenceNr("p2", SnapshotSelectionCriteria.latest())).contains(9L);
  }

  @Test
  void aCorruptSnapshotFailsTheLoadInsteadOfFallingBack() {
    seedFive(5);

    Object reply = loadReply("p", SnapshotSelectionCriteria.latest());

    assertThat(reply).isInstanceOf(SnapshotProtocol.LoadSnapshotFailed.class);
    Throwable cause = ((SnapshotProtocol.LoadSnapshotFailed) reply).cause();
    CorruptRecordException corrupt =
        RocksDbCorruptionTest.find(cause, CorruptRecordException.class);
    assertThat(corrupt.persistenceId()).isEqualTo("p");
    assertThat(corrupt.sequenceNr()).isEqualTo(5);
    assertThat(corrupt).hasMessageContaining(root.resolve("snapshots").toString());
    // An older snapshot is still there for an operator who decides to delete the corrupt one.
    assertThat(loadedSequenceNr("p", criteria(4, MAX, 0, 0))).contains(4L);
  }

  @Test
  void snapshotsOfAnEventSourcedBehaviorAreUsedForRecovery() {
    kit.shutdownTestKit();
    kit = TestSystems.start(root);
    EventLog.Setup setup = EventLog.Setup.of("typed").withSnapshotEvery(2);
    var log = TestSystems.spawnRecovered(kit, setup).log();
    for (int i = 1; i <= 5; i++) {
      TestSystems.append(kit, log, "e" + i);
    }
    restart();

    assertThat(loadedSequenceNr("typed", SnapshotSelectionCriteria.latest())).contains(4L);
    assertThat(TestSystems.spawnRecovered(kit, setup).recovered().state())
        .isEqualTo("e1,e2,e3,e4,e5");
  }
}
