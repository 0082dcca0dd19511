package dev.keel.raft.persistence.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.WriteBatch;

/**
 * Closing a store while an operation uses its column family handles waits for it: a handle freed
 * under a running batch crashed the JVM (a snapshot save racing the plugin's stop).
 */
class RocksDbStoreCloseTest {

  @TempDir Path dir;

  @Test
  void closeWaitsForABatchBeingBuiltAndLaterUseFailsCleanly() throws Exception {
    RocksDbStore store = RocksDbStore.open(dir, RocksDbStore.Kind.SNAPSHOTS);
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    CompletableFuture<Void> building =
        CompletableFuture.runAsync(
            () ->
                store.whileOpen(
                    () -> {
                      inside.countDown();
                      awaitLatch(proceed);
                      try (WriteBatch batch = new WriteBatch()) {
                        batch.put(store.columnFamily(1), new byte[] {1}, new byte[] {2});
                        store.write(batch);
                      } catch (org.rocksdb.RocksDBException e) {
                        throw new IllegalStateException(e);
                      }
                    }));
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Void> closing = CompletableFuture.runAsync(store::close);

    assertThat(closing).as("close waits for the running batch").isNotDone();
    proceed.countDown();
    building.get(10, TimeUnit.SECONDS);
    closing.get(10, TimeUnit.SECONDS);

    assertThatThrownBy(() -> store.whileOpen(() -> {}))
        .isInstanceOf(RocksDbStorageException.class)
        .hasMessageContaining("closed");
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
