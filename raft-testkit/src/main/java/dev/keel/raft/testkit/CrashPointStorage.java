package dev.keel.raft.testkit;

import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.RaftStorage;
import dev.keel.raft.persistence.RecoveredState;
import dev.keel.raft.persistence.StoredSnapshot;
import dev.keel.raft.persistence.TermAndVote;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RaftStorage} wrapper that crashes its peer at a chosen persistence step, to show that a
 * peer dying there restarts consistent. It wraps any storage; wrap a durable one (such as {@code
 * JournaledRaftStorage} on Keel's RocksDB journal) and the restart replays what really is on disk.
 *
 * <p>{@link #arm Arm} it with a {@link CrashPoint} and a crash callback. When a write reaches that
 * point the wrapper behaves as if the process died right there:
 *
 * <ul>
 *   <li>that write's stage never completes, so the peer never hears of it: no vote is answered, no
 *       entry acknowledged;
 *   <li>no other stage still pending completes either, and every later write is swallowed: never
 *       handed to the wrapped storage, never completed (a dead process writes nothing more);
 *   <li>the callback runs with the {@link Firing}, on a thread of its own (never the thread that
 *       completed the write), so it may call into the test's cluster: {@code firing ->
 *       cluster.crash(id)}.
 * </ul>
 *
 * <p>A point fires once and is then disarmed. The next {@link #recover()} (the peer restarting)
 * turns writes back on and delegates, so the peer finds exactly what the wrapped storage made
 * durable; {@link #lastRecovered()} shows it to the test. An armed point that has not fired stays
 * armed across restarts, so a peer can be restarted armed. Unarmed, every call passes through.
 *
 * <p><b>What the write named by a point has become:</b> the {@code AFTER_*} points fire only once
 * the wrapped storage confirmed the write durable. {@link CrashPoint#MID_APPEND} fires as soon as
 * the append is handed over, so whether it lands is the wrapped storage's business (with {@code
 * JournaledRaftStorage}, the restart's {@code recover()} drops a write still queued in the storage
 * object, while one already sent to the journal lands).
 *
 * <p><b>With {@link TestCluster}:</b> the cluster keeps one storage object per peer across its
 * incarnations and each restart calls {@code recover()} on it; {@link TestCluster#restart} first
 * waits until the crashed incarnation has terminated, so it cannot write after that recovery.
 *
 * <pre>{@code
 * TestCluster<KvCommand, KvQuery, KvResult> cluster = TestCluster.builder(KeyValueStateMachine::new)
 *     .storage(id -> new CrashPointStorage(
 *         JournaledRaftStorage.builder(system, "kv", id).rocksDb(dir.resolve(id)).build()))
 *     .start(system);
 * CrashPointStorage disk = (CrashPointStorage) cluster.storage("n2");
 * disk.arm(CrashPoint.AFTER_VOTE_DURABLE, firing -> cluster.crash("n2"));
 * cluster.network().isolate(leader, cluster.ids()); // an election: n2 votes, durably, and dies
 * Await.until("n2 crashed", timeout, () -> !cluster.isUp("n2"));
 * cluster.restart("n2");                            // replays what the journal holds
 * }</pre>
 *
 * <p>Keeps the {@link RaftStorage} ordering contract: the stages it completes are those of the
 * wrapped storage, in the same order, up to a firing. Thread-safe; it never calls the wrapped
 * storage, completes a stage or runs a callback while holding its own lock.
 */
public final class CrashPointStorage implements RaftStorage {

  /**
   * A crash point that was reached.
   *
   * @param point the point
   * @param write the write it was reached at, e.g. {@code "entries 41..43 of term 2"}
   * @param at when
   * @param term the vote's term; the term of an append's last entry; a snapshot's last included
   *     term
   * @param votedFor the vote, for {@link CrashPoint#AFTER_VOTE_DURABLE}; else null
   * @param index an append's last index; a snapshot's last included index; 0 for a vote
   */
  public record Firing(
      CrashPoint point,
      String write,
      Instant at,
      long term,
      @Nullable String votedFor,
      long index) {

    @Override
    public String toString() {
      return point + " at " + write;
    }
  }

  /** An armed point and what to do when it is reached. */
  private record Armed(CrashPoint point, Consumer<Firing> onCrash) {}

  /**
   * One write as the crash points see it.
   *
   * @param durablePoint the point reached once this write is durable, if any
   * @param handedPoint the point reached once this write is handed to the wrapped storage, if any
   */
  private record Step(
      String description,
      @Nullable CrashPoint durablePoint,
      @Nullable CrashPoint handedPoint,
      long term,
      @Nullable String votedFor,
      long index) {}

  private final RaftStorage delegate;

  // Guarded by this.
  private @Nullable Armed armed;
  // From a firing to the next recover(): writes are swallowed.
  private boolean crashed;
  // Bumped by every firing. Invariant: a stage completes only if no firing came after its write.
  private long epoch;
  private final List<Firing> firings = new ArrayList<>();
  private long swallowedWrites;
  private @Nullable RecoveredState lastRecovered;

  /**
   * Wraps {@code delegate}, unarmed.
   *
   * @param delegate the storage that really stores; this wrapper owns it from now on
   */
  public CrashPointStorage(RaftStorage delegate) {
    this.delegate = delegate;
  }

  /**
   * Arms {@code point}, replacing whatever was armed: the next write to reach it crashes the peer.
   *
   * @param point where to crash
   * @param onCrash runs once, on a thread of its own, when the point is reached; typically {@code
   *     firing -> cluster.crash(id)}
   */
  public synchronized void arm(CrashPoint point, Consumer<Firing> onCrash) {
    armed = new Armed(point, onCrash);
  }

  /** Disarms the armed point, if any. */
  public synchronized void disarm() {
    armed = null;
  }

  /** The armed point, or null: none was armed, or it fired. */
  public synchronized @Nullable CrashPoint armed() {
    Armed current = armed;
    return current == null ? null : current.point();
  }

  /** Whether a point has fired and no {@link #recover()} followed yet: writes are swallowed. */
  public synchronized boolean isCrashed() {
    return crashed;
  }

  /** Whether any point has fired, over this storage's life. */
  public synchronized boolean hasFired() {
    return !firings.isEmpty();
  }

  /** Every firing, in order. */
  public synchronized List<Firing> firings() {
    return List.copyOf(firings);
  }

  /** The last firing, or null if none. */
  public synchronized @Nullable Firing lastFiring() {
    return firings.isEmpty() ? null : firings.get(firings.size() - 1);
  }

  /** Writes swallowed after a firing (issued by a peer that had not been stopped yet). */
  public synchronized long swallowedWrites() {
    return swallowedWrites;
  }

  /** What the last successful {@link #recover()} returned, or null before the first. */
  public synchronized @Nullable RecoveredState lastRecovered() {
    return lastRecovered;
  }

  /** The wrapped storage. */
  public RaftStorage delegate() {
    return delegate;
  }

  /** Turns writes back on after a firing (the peer restarts) and reads the wrapped storage. */
  @Override
  public CompletionStage<RecoveredState> recover() {
    synchronized (this) {
      crashed = false;
    }
    return delegate
        .recover()
        .whenComplete(
            (state, failure) -> {
              if (state != null) {
                synchronized (this) {
                  lastRecovered = state;
                }
              }
            });
  }

  @Override
  public CompletionStage<Void> saveTermAndVote(TermAndVote termAndVote) {
    String votedFor = termAndVote.votedFor();
    Step step =
        new Step(
            "term and vote " + termAndVote,
            votedFor == null ? null : CrashPoint.AFTER_VOTE_DURABLE,
            null,
            termAndVote.term(),
            votedFor,
            0);
    return write(step, () -> delegate.saveTermAndVote(termAndVote));
  }

  @Override
  public CompletionStage<Void> appendEntries(List<LogEntry> entries) {
    LogEntry last = entries.isEmpty() ? null : entries.get(entries.size() - 1);
    Step step =
        new Step(
            WriteDescriptions.entries(entries),
            CrashPoint.AFTER_APPEND_DURABLE,
            CrashPoint.MID_APPEND,
            last == null ? 0 : last.term(),
            null,
            last == null ? 0 : last.index());
    return write(step, () -> delegate.appendEntries(entries));
  }

  @Override
  public CompletionStage<Void> saveSnapshot(StoredSnapshot snapshot, boolean keepLaterEntries) {
    Step step =
        new Step(
            (keepLaterEntries ? "local snapshot through " : "installed snapshot through ")
                + snapshot.metadata().lastIncludedIndex(),
            keepLaterEntries
                ? CrashPoint.AFTER_SNAPSHOT_SAVED
                : CrashPoint.AFTER_SNAPSHOT_INSTALLED,
            null,
            snapshot.metadata().lastIncludedTerm(),
            null,
            snapshot.metadata().lastIncludedIndex());
    return write(step, () -> delegate.saveSnapshot(snapshot, keepLaterEntries));
  }

  private CompletionStage<Void> write(Step step, Supplier<CompletionStage<Void>> forward) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    long issuedIn;
    synchronized (this) {
      if (crashed) {
        swallowedWrites++;
        return done.minimalCompletionStage(); // never completes
      }
      issuedIn = epoch;
    }
    CompletionStage<Void> stage = forward.get();
    // Fire before listening: a storage that answers at once must not complete this stage first.
    CrashPoint handedPoint = step.handedPoint();
    Fired fired = handedPoint == null ? null : fireIfArmed(handedPoint, step, issuedIn);
    stage.whenComplete((ok, failure) -> settle(step, issuedIn, done, failure));
    if (fired != null) {
      fired.announce();
    }
    // Callers only listen; they must not complete the stage themselves.
    return done.minimalCompletionStage();
  }

  /** Passes the wrapped storage's answer on, unless a firing came in between or comes now. */
  private void settle(
      Step step, long issuedIn, CompletableFuture<Void> done, @Nullable Throwable failure) {
    CrashPoint durablePoint = step.durablePoint();
    Fired fired =
        failure == null && durablePoint != null ? fireIfArmed(durablePoint, step, issuedIn) : null;
    if (fired != null) {
      fired.announce();
      return;
    }
    synchronized (this) {
      if (issuedIn != epoch) {
        return; // the process died before hearing this
      }
    }
    if (failure == null) {
      done.complete(null);
    } else {
      done.completeExceptionally(failure);
    }
  }

  /** A firing and the callback it owes. */
  private record Fired(Firing firing, Consumer<Firing> onCrash) {
    void announce() {
      CallbackThread.INSTANCE.execute(() -> onCrash.accept(firing));
    }
  }

  private synchronized @Nullable Fired fireIfArmed(CrashPoint point, Step step, long issuedIn) {
    Armed current = armed;
    if (current == null || current.point() != point || issuedIn != epoch) {
      return null;
    }
    Firing firing =
        new Firing(
            point, step.description(), Instant.now(), step.term(), step.votedFor(), step.index());
    armed = null;
    crashed = true;
    epoch++;
    firings.add(firing);
    return new Fired(firing, current.onCrash());
  }

  /** Closes the wrapped storage. */
  @Override
  public void close() {
    delegate.close();
  }

  /** One daemon thread for every storage's crash callbacks. */
  private static final class CallbackThread {
    static final Executor INSTANCE =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread thread = new Thread(task, "keel-crash-point");
              thread.setDaemon(true);
              return thread;
            });
  }
}
