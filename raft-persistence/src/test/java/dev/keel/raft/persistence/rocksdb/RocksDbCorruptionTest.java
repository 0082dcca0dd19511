package dev.keel.raft.persistence.rocksdb;

import static dev.keel.raft.persistence.rocksdb.TestSystems.append;
import static dev.keel.raft.persistence.rocksdb.TestSystems.spawnRecovered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rocksdb.WriteBatch;

/** Damaged records and unusable directories fail clearly; nothing is skipped or reset. */
class RocksDbCorruptionTest {

  @TempDir Path root;

  private ActorTestKit kit;

  @AfterEach
  void shutdown() {
    if (kit != null) {
      kit.shutdownTestKit();
    }
  }

  private Path journalDir() {
    return root.resolve("journal").toAbsolutePath();
  }

  /** Persists a,b,c for p1 and x for p2, then stops the system so the store can be edited. */
  private void writeAndStop() {
    kit = TestSystems.start(root);
    ActorRef<EventLog.Command> p1 = spawnRecovered(kit, EventLog.Setup.of("p1")).log();
    append(kit, p1, "a");
    append(kit, p1, "b");
    append(kit, p1, "c");
    append(kit, spawnRecovered(kit, EventLog.Setup.of("p2")).log(), "x");
    kit.shutdownTestKit();
    kit = null;
  }

  private void rewrite(String persistenceId, long sequenceNr, UnaryOperator<byte[]> change)
      throws Exception {
    try (RocksDbStore store = RocksDbStore.open(journalDir(), RocksDbStore.Kind.JOURNAL);
        WriteBatch batch = new WriteBatch()) {
      byte[] key = KeyCodec.journalKey(persistenceId, sequenceNr);
      byte[] value = store.read(db -> db.get(store.columnFamily(1), key));
      assertThat(value).isNotNull();
      batch.put(store.columnFamily(1), key, change.apply(value));
      store.write(batch);
    }
  }

  private static byte[] flipLastByte(byte[] value) {
    byte[] changed = value.clone();
    changed[changed.length - 1] ^= 0x5A;
    return changed;
  }

  private static CorruptRecordException corruption(Throwable failure) {
    return find(failure, CorruptRecordException.class);
  }

  static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    throw new AssertionError("No " + type.getSimpleName() + " in the causes", failure);
  }

  @Test
  void aFlippedByteInAnEventFailsRecoveryNamingDirectoryIdAndSequenceNr() throws Exception {
    writeAndStop();
    rewrite("p1", 2, RocksDbCorruptionTest::flipLastByte);

    kit = TestSystems.start(root);
    Throwable failure = TestSystems.spawnFailing(kit, EventLog.Setup.of("p1"));

    CorruptRecordException corrupt = corruption(failure);
    assertThat(corrupt.persistenceId()).isEqualTo("p1");
    assertThat(corrupt.sequenceNr()).isEqualTo(2);
    assertThat(corrupt.directory()).isEqualTo(journalDir());
    assertThat(corrupt)
        .hasMessageContaining("checksum mismatch")
        .hasMessageContaining("p1")
        .hasMessageContaining("[2]")
        .hasMessageContaining(journalDir().toString());
    // Other persistence ids in the same store still recover.
    assertThat(spawnRecovered(kit, EventLog.Setup.of("p2")).recovered().state()).isEqualTo("x");
  }

  @Test
  void aTruncatedRecordFailsTheReplayThroughTheProtocol() throws Exception {
    writeAndStop();
    rewrite("p1", 3, value -> Arrays.copyOf(value, value.length - 3));

    kit = TestSystems.start(root);
    Throwable failure =
        new JournalClient(kit, RocksDbPlugins.JOURNAL_PLUGIN_ID).failingReplay("p1");

    assertThat(failure).isInstanceOf(CorruptRecordException.class);
    CorruptRecordException corrupt = (CorruptRecordException) failure;
    assertThat(corrupt.sequenceNr()).isEqualTo(3);
    assertThat(corrupt).hasMessageContaining("payload bytes");
  }

  @Test
  void aValidRecordStoredUnderAnotherKeyIsDetected() throws Exception {
    writeAndStop();
    byte[][] first = new byte[1][];
    rewrite(
        "p1",
        1,
        value -> {
          first[0] = value;
          return value;
        });
    rewrite("p1", 2, value -> first[0]);

    kit = TestSystems.start(root);
    CorruptRecordException corrupt =
        corruption(TestSystems.spawnFailing(kit, EventLog.Setup.of("p1")));
    assertThat(corrupt.sequenceNr()).isEqualTo(2);
  }

  @Test
  void anUnknownFormatVersionIsReported() throws Exception {
    writeAndStop();
    rewrite(
        "p1",
        1,
        value -> {
          byte[] changed = value.clone();
          changed[0] = 9;
          return changed;
        });
    kit = TestSystems.start(root);
    assertThat(corruption(TestSystems.spawnFailing(kit, EventLog.Setup.of("p1"))))
        .hasMessageContaining("unsupported record format version 9");
  }

  @Test
  void aJournalPathThatIsAFileFailsRecoveryNamingThePath() throws IOException {
    Files.writeString(journalDir(), "not a directory");

    kit = TestSystems.start(root);
    Throwable failure = TestSystems.spawnFailing(kit, EventLog.Setup.of("p1"));

    assertThat(find(failure, RocksDbStorageException.class))
        .hasMessageContaining("not a directory")
        .hasMessageContaining(journalDir().toString());
    assertThat(Files.readString(journalDir())).isEqualTo("not a directory");
  }

  @Test
  void aDirectoryBelowAFileCannotBeCreated() throws IOException {
    Path file = Files.writeString(root.resolve("file"), "x");
    Path below = file.resolve("journal");

    assertThatThrownBy(() -> RocksDbStore.open(below, RocksDbStore.Kind.JOURNAL))
        .isInstanceOf(RocksDbStorageException.class)
        .hasMessageContaining("Cannot create the store directory")
        .hasMessageContaining(below.toString());
  }

  @Test
  void aDirectoryWithForeignFilesIsRefusedAndLeftAlone() throws IOException {
    Path dir = Files.createDirectories(root.resolve("journal"));
    Files.writeString(dir.resolve("notes.txt"), "mine");

    assertThatThrownBy(() -> RocksDbStore.open(dir, RocksDbStore.Kind.JOURNAL))
        .isInstanceOf(RocksDbStorageException.class)
        .hasMessageContaining("holds no RocksDB store")
        .hasMessageContaining(dir.toString());
    try (var entries = Files.list(dir)) {
      assertThat(entries.map(path -> path.getFileName().toString())).containsExactly("notes.txt");
    }
  }

  @Test
  void aStoreWithADamagedCurrentFileFailsToOpenAndIsNotReset() throws IOException {
    Path dir = root.resolve("journal");
    RocksDbStore.open(dir, RocksDbStore.Kind.JOURNAL).close();
    Files.writeString(dir.resolve("CURRENT"), "MANIFEST-999999\n");

    assertThatThrownBy(() -> RocksDbStore.open(dir, RocksDbStore.Kind.JOURNAL))
        .isInstanceOf(RocksDbStorageException.class)
        .hasMessageContaining(dir.toAbsolutePath().toString());
    assertThat(Files.readString(dir.resolve("CURRENT"))).isEqualTo("MANIFEST-999999\n");
  }

  @Test
  void aJournalStoreIsNotOpenedAsASnapshotStore() {
    Path dir = root.resolve("store");
    RocksDbStore.open(dir, RocksDbStore.Kind.JOURNAL).close();

    assertThatThrownBy(() -> RocksDbStore.open(dir, RocksDbStore.Kind.SNAPSHOTS))
        .isInstanceOf(RocksDbStorageException.class)
        .hasMessageContaining("not a keel-rocksdb-snapshots store");
  }

  @ParameterizedTest
  @ValueSource(strings = {"---------", "r-x------"})
  void anUnreadableOrUnwritableDirectoryFailsNamingIt(String permissions) throws IOException {
    assumeThat(System.getProperty("user.name")).as("root ignores permissions").isNotEqualTo("root");
    Path dir = Files.createDirectories(root.resolve("locked"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(permissions));
    try {
      assertThatThrownBy(() -> RocksDbStore.open(dir, RocksDbStore.Kind.JOURNAL))
          .isInstanceOf(RocksDbStorageException.class)
          .hasMessageContaining("not readable and writable")
          .hasMessageContaining(dir.toString());
    } finally {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void theFormatMarkerNamesTheKind() {
    assertThat(new String(RocksDbStore.Kind.JOURNAL.marker(), StandardCharsets.UTF_8))
        .isEqualTo("keel-rocksdb-journal/1");
  }
}
