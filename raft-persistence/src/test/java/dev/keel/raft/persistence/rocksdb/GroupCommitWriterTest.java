package dev.keel.raft.persistence.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;

/** The writer thread's group commit, ordering and failure isolation, against a real store. */
class GroupCommitWriterTest {

  private static final long WAIT_SECONDS = 10;

  @TempDir Path dir;

  private RocksDbStore store;
  private GroupCommitWriter writer;

  @BeforeEach
  void open() {
    store = RocksDbStore.open(dir, RocksDbStore.Kind.JOURNAL);
    writer = new GroupCommitWriter(store, 1024 * 1024);
  }

  @AfterEach
  void close() throws InterruptedException {
    writer.close(Duration.ofSeconds(WAIT_SECONDS));
    store.close();
  }

  private GroupCommitWriter.Request put(String key) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    return GroupCommitWriter.Request.write(
        batch -> batch.put(store.columnFamily(1), bytes, bytes), 1, 1, bytes.length);
  }

  private GroupCommitWriter.Request blockUntil(CountDownLatch started, CountDownLatch release) {
    return GroupCommitWriter.Request.write(
        batch -> {
          started.countDown();
          try {
            release.await(WAIT_SECONDS, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          batch.put(store.columnFamily(1), new byte[] {0}, new byte[] {0});
        },
        1,
        1,
        1);
  }

  private boolean stored(String key) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    return store.read(db -> db.get(store.columnFamily(1), bytes)) != null;
  }

  @Test
  void requestsQueuedDuringAWriteGoIntoTheNextBatchTogether() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> first = writer.submit(blockUntil(started, release));
    assertThat(started.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

    List<CompletableFuture<Void>> queued = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      queued.add(writer.submit(put("k" + i)));
    }
    release.countDown();
    CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new))
        .get(WAIT_SECONDS, TimeUnit.SECONDS);

    assertThat(first).isCompleted();
    JournalStatistics statistics = writer.statistics();
    assertThat(statistics.batches()).isEqualTo(2);
    assertThat(statistics.atomicWrites()).isEqualTo(101);
    assertThat(stored("k0")).isTrue();
    assertThat(stored("k99")).isTrue();
  }

  @Test
  void aRequestWhoseOperationsFailIsRejectedAloneAndItsPartialOperationsRolledBack()
      throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> blocking = writer.submit(blockUntil(started, release));
    assertThat(started.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Void> before = writer.submit(put("before"));
    CompletableFuture<Void> failing =
        writer.submit(
            GroupCommitWriter.Request.write(
                batch -> {
                  batch.put(store.columnFamily(1), bytes("partial"), bytes("partial"));
                  throw new RocksDBException("simulated failure");
                },
                1,
                1,
                1));
    CompletableFuture<Void> after = writer.submit(put("after"));
    release.countDown();

    blocking.get(WAIT_SECONDS, TimeUnit.SECONDS);
    after.get(WAIT_SECONDS, TimeUnit.SECONDS);
    before.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThatThrownBy(() -> failing.get(WAIT_SECONDS, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(RocksDbStorageException.class)
        .hasMessageContaining("simulated failure");
    assertThat(stored("before")).isTrue();
    assertThat(stored("after")).isTrue();
    assertThat(stored("partial")).isFalse();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void concurrentClosedLoopWritersShareBatches() throws Exception {
    int threads = 8;
    int writesPerThread = 200;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int i = 0; i < writesPerThread; i++) {
                    writer.submit(put(thread + "-" + i)).get(WAIT_SECONDS, TimeUnit.SECONDS);
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> future : done) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    JournalStatistics statistics = writer.statistics();
    assertThat(statistics.atomicWrites()).isEqualTo((long) threads * writesPerThread);
    assertThat(statistics.batches()).isLessThan(statistics.atomicWrites());
  }

  @Test
  void barrierCompletesAfterEverythingSubmittedBefore() throws Exception {
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      writes.add(writer.submit(put("w" + i)));
    }
    writer.barrier().get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(writes).allMatch(CompletableFuture::isDone);
  }

  @Test
  void requestsAfterCloseFailNamingTheDirectory() throws Exception {
    writer.close(Duration.ofSeconds(WAIT_SECONDS));
    CompletableFuture<Void> late = writer.submit(put("late"));
    assertThatThrownBy(() -> late.get(WAIT_SECONDS, TimeUnit.SECONDS))
        .hasCauseInstanceOf(RocksDbStorageException.class)
        .hasMessageContaining(store.directory().toString());
  }
}
