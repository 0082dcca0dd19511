package dev.keel.raft.persistence.rocksdb;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer thread of a journal store: group commit.
 *
 * <p>Requests queue up while a synced write is in flight; the thread then takes everything queued
 * (up to {@code maxBatchBytes}) into one {@link WriteBatch} and one synced write, and completes
 * each request's future only after that write returned. Requests are applied in submission order,
 * each request's operations land in one batch, and a request whose operations cannot be added to
 * the batch fails alone (its partial operations are rolled back to a save point).
 *
 * <p>Ordering contract: a request's future completes after every earlier request's batch was
 * synced, so {@link #barrier()} completes once everything submitted before it is durable.
 */
final class GroupCommitWriter {

  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

  /** The operations of one request, added to the batch it travels in. */
  @FunctionalInterface
  interface Operations {
    /** Adds this request's operations to {@code batch}. */
    void addTo(WriteBatch batch) throws RocksDBException;
  }

  /** One unit of work and the future that completes once its batch is durable. */
  static final class Request {
    private final Operations operations;
    private final int atomicWrites;
    private final int events;
    private final long bytes;
    private final boolean deletion;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private Request(
        Operations operations, int atomicWrites, int events, long bytes, boolean deletion) {
      this.operations = operations;
      this.atomicWrites = atomicWrites;
      this.events = events;
      this.bytes = bytes;
      this.deletion = deletion;
    }

    /** A request storing {@code events} events ({@code bytes} bytes) of some atomic writes. */
    static Request write(Operations operations, int atomicWrites, int events, long bytes) {
      return new Request(operations, atomicWrites, events, bytes, false);
    }

    /** A request deleting events. */
    static Request deletion(Operations operations) {
      return new Request(operations, 0, 0, 0, true);
    }

    private static Request barrier() {
      return new Request(batch -> {}, 0, 0, 0, false);
    }
  }

  private static final Request STOP = Request.barrier();

  private final RocksDbStore store;
  private final long maxBatchBytes;
  private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong atomicWrites = new AtomicLong();
  private final AtomicLong events = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong deletions = new AtomicLong();
  private boolean stopping; // guarded by this

  /**
   * Starts the writer thread.
   *
   * @param store the store to write to; it must outlive this writer
   * @param maxBatchBytes a batch takes no more requests once their bytes exceed this (a single
   *     larger request still goes alone)
   */
  GroupCommitWriter(RocksDbStore store, long maxBatchBytes) {
    this.store = store;
    this.maxBatchBytes = maxBatchBytes;
    this.thread = new Thread(this::run, "keel-rocksdb-writer[" + store.directory() + "]");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Queues {@code request} for the next batch.
   *
   * @return the request's future, completed after its batch was synced, or failed with a {@link
   *     RocksDbStorageException} if the write failed or the writer is stopped
   */
  CompletableFuture<Void> submit(Request request) {
    synchronized (this) {
      if (stopping) {
        request.done.completeExceptionally(stoppedException());
      } else {
        queue.add(request);
      }
    }
    return request.done;
  }

  /** A future completed once every request submitted before it is durable. */
  CompletableFuture<Void> barrier() {
    return submit(Request.barrier());
  }

  /** The counters so far. */
  JournalStatistics statistics() {
    return new JournalStatistics(
        batches.get(), atomicWrites.get(), events.get(), bytes.get(), deletions.get());
  }

  /**
   * Stops accepting requests, lets the thread finish the queued ones and waits for it.
   *
   * @param timeout how long to wait for queued writes to finish
   * @return whether the thread finished within {@code timeout}
   */
  boolean close(Duration timeout) throws InterruptedException {
    synchronized (this) {
      if (!stopping) {
        stopping = true;
        queue.add(STOP);
      }
    }
    thread.join(timeout.toMillis());
    return !thread.isAlive();
  }

  private RocksDbStorageException stoppedException() {
    return new RocksDbStorageException(store.directory(), "The journal writer is stopped", null);
  }

  private void run() {
    List<Request> batch = new ArrayList<>();
    try {
      while (true) {
        Request first = queue.take();
        if (first == STOP) {
          break;
        }
        batch.add(first);
        long batchBytes = first.bytes;
        Request next;
        // Everything that arrived during the previous synced write joins this one.
        while ((next = queue.peek()) != null
            && next != STOP
            && batchBytes + next.bytes <= maxBatchBytes) {
          queue.remove();
          batch.add(next);
          batchBytes += next.bytes;
        }
        commit(batch);
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      LOG.error(
          "Journal writer for {} failed; the journal rejects further writes", store.directory(), e);
      batch.forEach(request -> request.done.completeExceptionally(e));
      throw e;
    } finally {
      synchronized (this) {
        stopping = true;
      }
      for (Request left = queue.poll(); left != null; left = queue.poll()) {
        left.done.completeExceptionally(stoppedException());
      }
    }
  }

  private void commit(List<Request> requests) {
    List<Request> included = new ArrayList<>(requests.size());
    // Built while the store stays open: the operations use column family handles.
    try (WriteBatch batch = new WriteBatch()) {
      store.whileOpen(
          () -> {
            for (Request request : requests) {
              if (add(batch, request)) {
                included.add(request);
              }
            }
            if (batch.count() > 0) {
              store.write(batch);
              count(included);
            }
          });
    } catch (RuntimeException e) {
      // Requests that already failed alone keep their own cause.
      requests.forEach(request -> request.done.completeExceptionally(e));
      return;
    }
    included.forEach(request -> request.done.complete(null));
  }

  /** Adds one request's operations atomically; on failure rolls them back and fails it. */
  private boolean add(WriteBatch batch, Request request) {
    try {
      batch.setSavePoint();
      request.operations.addTo(batch);
      batch.popSavePoint();
      return true;
    } catch (RocksDBException | RuntimeException e) {
      request.done.completeExceptionally(
          new RocksDbStorageException(
              store.directory(), "Cannot add the write to a batch: " + e, e));
      try {
        batch.rollbackToSavePoint();
      } catch (RocksDBException rollbackFailure) {
        throw new RocksDbStorageException(
            store.directory(), "Cannot roll back a failed write", rollbackFailure);
      }
      return false;
    }
  }

  private void count(List<Request> included) {
    batches.incrementAndGet();
    for (Request request : included) {
      atomicWrites.addAndGet(request.atomicWrites);
      events.addAndGet(request.events);
      bytes.addAndGet(request.bytes);
      if (request.deletion) {
        deletions.incrementAndGet();
      }
    }
  }
}
