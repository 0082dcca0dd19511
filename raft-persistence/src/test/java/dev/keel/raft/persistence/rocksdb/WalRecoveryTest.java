package dev.keel.raft.persistence.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.WriteBatch;

/**
 * What a crash leaves behind: the store's files as they are while it is open (the synced
 * write-ahead log holds the recent writes). A torn last record is dropped; damage before the tail
 * fails the open instead of silently losing acknowledged writes.
 */
class WalRecoveryTest {

  @TempDir Path root;

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Writes k1..k3 in three synced batches and copies the open store's files ("crash image"). */
  private Path crashImage() throws Exception {
    Path live = root.resolve("live");
    Path image = Files.createDirectories(root.resolve("image"));
    try (RocksDbStore store = RocksDbStore.open(live, RocksDbStore.Kind.JOURNAL)) {
      for (String key : List.of("k1", "k2", "k3")) {
        try (WriteBatch batch = new WriteBatch()) {
          batch.put(store.columnFamily(1), bytes(key), bytes("value-of-" + key + "-".repeat(50)));
          store.write(batch);
        }
      }
      try (Stream<Path> files = Files.list(live)) {
        for (Path file : files.toList()) {
          Files.copy(file, image.resolve(file.getFileName()));
        }
      }
    }
    return image;
  }

  private static Path newestWal(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(file -> file.getFileName().toString().endsWith(".log"))
          .max(Path::compareTo)
          .orElseThrow();
    }
  }

  private static boolean present(RocksDbStore store, String key) {
    return store.read(db -> db.get(store.columnFamily(1), bytes(key))) != null;
  }

  @Test
  void theImageRecoversEveryAcknowledgedWrite() throws Exception {
    try (RocksDbStore store = RocksDbStore.open(crashImage(), RocksDbStore.Kind.JOURNAL)) {
      assertThat(present(store, "k1")).isTrue();
      assertThat(present(store, "k3")).isTrue();
    }
  }

  @Test
  void aTornLastRecordIsDroppedAndTheRestRecovers() throws Exception {
    Path image = crashImage();
    Path wal = newestWal(image);
    try (FileChannel channel = FileChannel.open(wal, StandardOpenOption.WRITE)) {
      channel.truncate(channel.size() - 10);
    }

    try (RocksDbStore store = RocksDbStore.open(image, RocksDbStore.Kind.JOURNAL)) {
      assertThat(present(store, "k1")).isTrue();
      assertThat(present(store, "k2")).isTrue();
      assertThat(present(store, "k3")).isFalse();
    }
  }

  @Test
  void damageBeforeTheTailFailsTheOpenNamingTheDirectory() throws Exception {
    Path image = crashImage();
    Path wal = newestWal(image);
    byte[] content = Files.readAllBytes(wal);
    int index = indexOf(content, bytes("value-of-k1"));
    assertThat(index).isPositive();
    content[index] ^= 0x01;
    Files.write(wal, content);

    assertThatThrownBy(() -> RocksDbStore.open(image, RocksDbStore.Kind.JOURNAL))
        .isInstanceOf(RocksDbStorageException.class)
        .hasMessageContaining("Corruption")
        .hasMessageContaining(image.toAbsolutePath().toString());
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
