package dev.keel.raft.testkit;

import dev.keel.raft.persistence.InMemoryRaftStorage;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.RaftStorage;
import dev.keel.raft.persistence.RecoveredState;
import dev.keel.raft.persistence.StoredSnapshot;
import dev.keel.raft.persistence.TermAndVote;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RaftStorage} that can lose power: a test double for a disk behind an OS page cache.
 *
 * <p>A process kill keeps the page cache, so it cannot tell a synced write from an unsynced one; a
 * power cut can. Every write goes first to a volatile page cache; a simulated fsync, after a random
 * delay of up to {@code maxSyncDelay} (seeded), moves everything in the page cache, in issue order,
 * into the durable state (one {@link InMemoryRaftStorage}) — group commit. A write's stage
 * completes only then. {@link #powerCut()} throws the page cache away.
 *
 * <p><b>What happens to unsynced writes at a power cut:</b> their stages complete exceptionally
 * with a {@link PowerOffException}, never successfully, and what they carried is gone. Until the
 * next {@link #recover()} (the machine booting again) every write fails the same way at once, as a
 * machine that is off would never answer. {@link #recover()} returns the synced state only.
 *
 * <p>A {@link #recover()} without a power cut before it models a restart after a process kill: the
 * page cache survives, so what the killed process wrote is synced first and read back.
 *
 * <p>Keeps the {@link RaftStorage} ordering contract: writes become durable in issue order and
 * their stages complete in that order, on the syncer's thread (callbacks run while this storage is
 * locked, so keep them short, as {@code pipeToSelf} does). Thread-safe.
 *
 * <pre>{@code
 * PowerLossStorage storage = new PowerLossStorage(seed);
 * storage.appendEntries(entries); // completes within 3 ms, once synced
 * storage.powerCut();             // what was not synced yet is lost; its stages fail
 * storage.recover();              // the machine boots: synced state only
 * }</pre>
 */
public final class PowerLossStorage implements RaftStorage {

  /** The longest wait from a write to the fsync that makes it durable, by default. */
  public static final Duration DEFAULT_MAX_SYNC_DELAY = Duration.ofMillis(3);

  /** Why an unsynced write failed: the power was cut before its fsync, or was off. */
  public static final class PowerOffException extends IllegalStateException {
    PowerOffException(String message) {
      super(message);
    }
  }

  private enum Power {
    ON,
    OFF
  }

  /** A write in the page cache: what it is, how to apply it durably, and its caller's stage. */
  private record PendingWrite(
      String description,
      Function<InMemoryRaftStorage, CompletionStage<Void>> apply,
      CompletableFuture<Void> done) {}

  private final InMemoryRaftStorage durable = new InMemoryRaftStorage();
  private final ScheduledExecutorService syncer;
  private final SplittableRandom random;
  private final long maxSyncDelayNanos;

  // Writes not yet synced, in issue order. Invariant: empty while the power is off.
  private final ArrayDeque<PendingWrite> pageCache = new ArrayDeque<>();
  private Power power = Power.ON;
  // Bumped by every power cut, so an fsync scheduled before a cut does nothing after it.
  private long epoch;
  // Invariant: true while an fsync of this epoch is scheduled and has not run yet.
  private boolean syncScheduled;

  private long syncedWrites;
  private long fsyncs;
  private long lostWrites;
  private long rejectedWrites;
  private final List<Integer> lostPerCut = new ArrayList<>();
  private List<String> lastCutLost = List.of();

  /**
   * A storage that syncs within {@link #DEFAULT_MAX_SYNC_DELAY} on a shared daemon thread.
   *
   * @param seed drives the fsync delays
   */
  public PowerLossStorage(long seed) {
    this(seed, DEFAULT_MAX_SYNC_DELAY, SharedSyncer.INSTANCE);
  }

  /**
   * A storage that syncs within {@code maxSyncDelay} on a shared daemon thread.
   *
   * @param seed drives the fsync delays
   * @param maxSyncDelay the longest wait from a write to the fsync that makes it durable
   */
  public PowerLossStorage(long seed, Duration maxSyncDelay) {
    this(seed, maxSyncDelay, SharedSyncer.INSTANCE);
  }

  /**
   * A storage that syncs on {@code syncer}.
   *
   * @param seed drives the fsync delays
   * @param maxSyncDelay the longest wait from a write to the fsync that makes it durable; each
   *     fsync waits a random time in [0, maxSyncDelay]
   * @param syncer runs the fsyncs; must outlive this storage's use
   */
  public PowerLossStorage(long seed, Duration maxSyncDelay, ScheduledExecutorService syncer) {
    if (maxSyncDelay.isNegative()) {
      throw new IllegalArgumentException("maxSyncDelay must be >= 0, was " + maxSyncDelay);
    }
    this.random = new SplittableRandom(seed);
    this.maxSyncDelayNanos = maxSyncDelay.toNanos();
    this.syncer = syncer;
  }

  /**
   * Boots the machine and reads what is durable. After a power cut that is the synced state only;
   * without one (a process kill) the page cache survived, so it is synced first.
   */
  @Override
  public synchronized CompletionStage<RecoveredState> recover() {
    if (power == Power.ON) {
      flush();
    }
    power = Power.ON;
    return durable.recover();
  }

  /** Records term and vote; completes once synced. */
  @Override
  public CompletionStage<Void> saveTermAndVote(TermAndVote termAndVote) {
    return write("term and vote " + termAndVote, d -> d.saveTermAndVote(termAndVote));
  }

  /** Appends entries (truncating a conflicting suffix); completes once synced. */
  @Override
  public CompletionStage<Void> appendEntries(List<LogEntry> entries) {
    List<LogEntry> copy = List.copyOf(entries);
    return write(WriteDescriptions.entries(copy), d -> d.appendEntries(copy));
  }

  /** Stores a snapshot; completes once synced. */
  @Override
  public CompletionStage<Void> saveSnapshot(StoredSnapshot snapshot, boolean keepLaterEntries) {
    return write(
        "snapshot through " + snapshot.metadata().lastIncludedIndex(),
        d -> d.saveSnapshot(snapshot, keepLaterEntries));
  }

  private synchronized CompletionStage<Void> write(
      String what, Function<InMemoryRaftStorage, CompletionStage<Void>> apply) {
    if (power == Power.OFF) {
      rejectedWrites++;
      return CompletableFuture.failedFuture(
          new PowerOffException(what + " was issued while the power is off"));
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    pageCache.addLast(new PendingWrite(what, apply, done));
    if (!syncScheduled) {
      long scheduledIn = epoch;
      ScheduledFuture<?> unused =
          syncer.schedule(
              () -> sync(scheduledIn),
              random.nextLong(maxSyncDelayNanos + 1),
              TimeUnit.NANOSECONDS);
      syncScheduled = true;
    }
    // Callers only listen; they must not complete the stage themselves.
    return done.minimalCompletionStage();
  }

  private synchronized void sync(long scheduledIn) {
    if (scheduledIn != epoch) {
      return; // the power was cut after this fsync was scheduled
    }
    syncScheduled = false;
    flush();
  }

  /** Moves the whole page cache, in order, into durable state and completes the writes' stages. */
  private void flush() {
    if (pageCache.isEmpty()) {
      return;
    }
    fsyncs++;
    while (!pageCache.isEmpty()) {
      PendingWrite write = pageCache.pollFirst();
      // The in-memory storage answers at once, so stages complete in issue order (the contract).
      write
          .apply()
          .apply(durable)
          .whenComplete(
              (ok, failure) -> {
                if (failure == null) {
                  syncedWrites++;
                  write.done().complete(null);
                } else {
                  write.done().completeExceptionally(failure);
                }
              });
    }
  }

  /**
   * Cuts the power: atomically drops every unsynced write and completes its stage exceptionally
   * with a {@link PowerOffException} (never successfully); until the next {@link #recover()} every
   * write fails at once. Does nothing if the power is already off.
   *
   * @return how many unsynced writes were lost
   */
  public synchronized int powerCut() {
    if (power == Power.OFF) {
      return 0;
    }
    power = Power.OFF;
    epoch++;
    syncScheduled = false;
    List<String> lost = new ArrayList<>();
    List<PendingWrite> dropped = new ArrayList<>(pageCache);
    pageCache.clear();
    for (PendingWrite write : dropped) {
      lost.add(write.description());
      write
          .done()
          .completeExceptionally(
              new PowerOffException("the power was cut before " + write.description() + " synced"));
    }
    lostWrites += lost.size();
    lostPerCut.add(lost.size());
    lastCutLost = List.copyOf(lost);
    return lost.size();
  }

  /** Whether the power is on: false from a {@link #powerCut()} to the next {@link #recover()}. */
  public synchronized boolean isPoweredOn() {
    return power == Power.ON;
  }

  /** Writes accepted and not yet synced. */
  public synchronized int unsyncedWrites() {
    return pageCache.size();
  }

  /** Writes made durable by an fsync, over this storage's life. */
  public synchronized long syncedWrites() {
    return syncedWrites;
  }

  /** Simulated fsyncs that synced at least one write (each one a group commit). */
  public synchronized long fsyncs() {
    return fsyncs;
  }

  /** Unsynced writes lost at power cuts, over this storage's life. */
  public synchronized long lostWrites() {
    return lostWrites;
  }

  /** Writes refused because the power was off (issued by a peer that had not stopped yet). */
  public synchronized long rejectedWrites() {
    return rejectedWrites;
  }

  /** How many power cuts happened. */
  public synchronized int powerCuts() {
    return lostPerCut.size();
  }

  /** How many unsynced writes each power cut lost, in order. */
  public synchronized List<Integer> lostPerCut() {
    return List.copyOf(lostPerCut);
  }

  /** What the last power cut lost, for failure reports, e.g. {@code "entries 41..43 of term 2"}. */
  public synchronized List<String> lastCutLost() {
    return lastCutLost;
  }

  /** The synced term and vote. */
  public synchronized TermAndVote syncedTermAndVote() {
    return durable.termAndVote();
  }

  /** The synced log after the snapshot. */
  public synchronized List<LogEntry> syncedEntries() {
    return durable.entries();
  }

  /** The synced snapshot, or null. */
  public synchronized @Nullable StoredSnapshot syncedSnapshot() {
    return durable.snapshot();
  }

  /**
   * Does nothing: like {@link InMemoryRaftStorage}, the state outlives the peer, and writes in the
   * page cache still sync.
   */
  @Override
  public void close() {}

  /** One daemon thread for the fsyncs of every storage made without a syncer. */
  private static final class SharedSyncer {
    static final ScheduledExecutorService INSTANCE =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "keel-power-loss-fsync");
              thread.setDaemon(true);
              return thread;
            });
  }
}
