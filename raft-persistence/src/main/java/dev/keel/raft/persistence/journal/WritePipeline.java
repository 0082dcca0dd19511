package dev.keel.raft.persistence.journal;

import dev.keel.raft.persistence.RecoveredState;
import dev.keel.raft.persistence.StoredSnapshot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.jspecify.annotations.Nullable;

/**
 * The write path of a {@link JournaledRaftStorage}: validation, the queue of issued writes, group
 * commit, incarnations, and the ordered completion of every stage. Thread-safe: the peer issues
 * writes on its thread, the journal actors report back on theirs.
 *
 * <p>Invariants (under {@code lock}): at most one batch is in flight, and only to the current
 * incarnation's journal actor; every issued write is in the in-flight batch or in {@code queued},
 * in issue order, until its completion is queued in {@code completions}; completions are queued in
 * issue order, whether they succeed or fail.
 */
final class WritePipeline {

  private final String persistenceId;
  private final String journalPluginId;
  private final int maxBatchEntries;
  private final Object lock = new Object();
  private final OrderedCompletions completions = new OrderedCompletions();

  // Guarded by lock.
  private @Nullable ActorRef<JournalKeeper.Command> keeper;
  private @Nullable Incarnation current;
  private long lastIncarnation;
  private long lastBatch;
  private @Nullable Batch inFlight;
  private final ArrayDeque<Pending> queued = new ArrayDeque<>();
  // Set when a write failed or the journal actor stopped: writes are refused until recover().
  private @Nullable RuntimeException failure;
  // Set by close() or when the actor system stops: everything is refused from then on.
  private @Nullable String closedBecause;
  private long writesIssued;
  private long writesDurable;
  private long journalWrites;
  private long compactions;

  /** One recovery of the journal and the writes that follow it. */
  private static final class Incarnation {
    final long id;
    final CompletableFuture<RecoveredState> recovered;
    // Both set once recovery completed.
    @Nullable ActorRef<PeerJournal.Command> journal;
    WriteBatches.@Nullable Issued issued;

    Incarnation(long id, CompletableFuture<RecoveredState> recovered) {
      this.id = id;
      this.recovered = recovered;
    }
  }

  private record Pending(StorageWrite write, CompletableFuture<Void> done) {}

  private record Batch(long id, List<Pending> writes) {}

  WritePipeline(String persistenceId, String journalPluginId, int maxBatchEntries) {
    this.persistenceId = persistenceId;
    this.journalPluginId = journalPluginId;
    this.maxBatchEntries = maxBatchEntries;
  }

  /** Connects the keeper that runs the journal actors; called once, before any recovery. */
  void attach(ActorRef<JournalKeeper.Command> journalKeeper) {
    synchronized (lock) {
      this.keeper = journalKeeper;
    }
  }

  // ---- called by the storage's users

  CompletionStage<RecoveredState> recover() {
    CompletableFuture<RecoveredState> result = new CompletableFuture<>();
    synchronized (lock) {
      ActorRef<JournalKeeper.Command> journalKeeper = keeper;
      String closed = closedBecause;
      if (closed != null || journalKeeper == null) {
        completions.fail(result, error(closed != null ? closed : "Not started"));
      } else {
        retireCurrent(
            "Superseded: recover() was called again before this was confirmed (a write may or may"
                + " not be durable)");
        failure = null;
        Incarnation next = new Incarnation(++lastIncarnation, result);
        current = next;
        journalKeeper.tell(new JournalKeeper.Start(next.id));
      }
    }
    completions.drain();
    return result;
  }

  CompletionStage<Void> submit(StorageWrite write) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (lock) {
      RuntimeException refusal = refusal(write);
      Incarnation incarnation = current;
      if (refusal != null || incarnation == null || incarnation.issued == null) {
        completions.fail(done, refusal != null ? refusal : new IllegalStateException());
      } else {
        incarnation.issued.accept(write);
        queued.add(new Pending(write, done));
        writesIssued++;
        if (inFlight == null) {
          sendNextBatch(incarnation);
        }
      }
    }
    completions.drain();
    return done;
  }

  void close() {
    synchronized (lock) {
      if (closedBecause == null) {
        closedBecause = "The storage was closed";
        retireCurrent(
            closedBecause + " before this write was confirmed; it may or may not be durable");
        ActorRef<JournalKeeper.Command> journalKeeper = keeper;
        if (journalKeeper != null) {
          journalKeeper.tell(JournalKeeper.Shutdown.INSTANCE);
        }
      }
    }
    completions.drain();
  }

  JournaledRaftStorage.Statistics statistics() {
    synchronized (lock) {
      return new JournaledRaftStorage.Statistics(
          writesIssued, writesDurable, journalWrites, compactions);
    }
  }

  // ---- called by the journal actors (on their threads)

  void recovered(long incarnation, ActorRef<PeerJournal.Command> journal, RecoveredState state) {
    synchronized (lock) {
      Incarnation recovering = current;
      if (recovering == null || recovering.id != incarnation || closedBecause != null) {
        return; // superseded; the keeper stops that actor
      }
      StoredSnapshot snapshot = state.snapshot();
      long snapshotIndex = snapshot == null ? 0 : snapshot.metadata().lastIncludedIndex();
      long lastIndex =
          state.entries().isEmpty()
              ? snapshotIndex
              : state.entries().get(state.entries().size() - 1).index();
      recovering.issued =
          new WriteBatches.Issued(state.termAndVote().term(), lastIndex, snapshotIndex);
      recovering.journal = journal;
      completions.succeed(recovering.recovered, state);
    }
    completions.drain();
  }

  void persisted(long incarnation, long batchId) {
    synchronized (lock) {
      Incarnation writing = current;
      Batch batch = inFlight;
      if (writing == null || writing.id != incarnation || batch == null || batch.id() != batchId) {
        return; // its stages were already failed
      }
      inFlight = null;
      journalWrites++;
      writesDurable += batch.writes().size();
      for (Pending pending : batch.writes()) {
        completions.succeed(pending.done(), null);
      }
      if (!queued.isEmpty()) {
        sendNextBatch(writing);
      }
    }
    completions.drain();
  }

  /** The journal deleted the events a saved snapshot of its state covers. */
  void compacted() {
    synchronized (lock) {
      compactions++;
    }
  }

  void failed(long incarnation, String what, @Nullable Throwable cause) {
    synchronized (lock) {
      Incarnation failing = current;
      if (failing == null || failing.id != incarnation) {
        return;
      }
      if (failure == null) {
        failure = cause == null ? error(what) : error(what, cause);
      }
      failAll(failure);
      completions.fail(failing.recovered, failure);
      failing.journal = null;
    }
    completions.drain();
  }

  void stopped(long incarnation, @Nullable Throwable cause) {
    boolean recovering;
    synchronized (lock) {
      Incarnation stopping = current;
      recovering = stopping != null && stopping.id == incarnation && stopping.issued == null;
    }
    failed(
        incarnation,
        recovering
            ? "Cannot recover the Raft state from the journal: the journal actor stopped"
            : "The journal actor stopped",
        cause);
  }

  void keeperStopped() {
    synchronized (lock) {
      if (closedBecause == null) {
        closedBecause = "The journal's actor system stopped";
        retireCurrent(
            closedBecause + " before this write was confirmed; it may or may not be durable");
      }
    }
    completions.drain();
  }

  // ---- internals, under lock

  private @Nullable RuntimeException refusal(StorageWrite write) {
    String closed = closedBecause;
    Incarnation incarnation = current;
    if (closed != null) {
      return error(closed);
    } else if (failure != null) {
      return failure;
    } else if (incarnation == null) {
      return new IllegalStateException("recover() was not called" + where());
    } else if (incarnation.issued == null) {
      return new IllegalStateException("recover() has not completed" + where());
    }
    String invalid = incarnation.issued.refusal(write);
    return invalid == null ? null : new IllegalArgumentException(invalid);
  }

  /** Hands the oldest queued writes, up to the batch limit, to the journal as one batch. */
  private void sendNextBatch(Incarnation incarnation) {
    ActorRef<PeerJournal.Command> journal = incarnation.journal;
    if (journal == null) {
      return;
    }
    List<Pending> writes = new ArrayList<>();
    List<StorageWrite> contents = new ArrayList<>();
    long entries = 0;
    while (!queued.isEmpty()) {
      Pending next = queued.peek();
      if (!writes.isEmpty() && entries + next.write().entryCount() > maxBatchEntries) {
        break;
      }
      queued.poll();
      writes.add(next);
      contents.add(next.write());
      entries += next.write().entryCount();
    }
    Batch batch = new Batch(++lastBatch, writes);
    inFlight = batch;
    journal.tell(new PeerJournal.Persist(batch.id(), WriteBatches.toEvents(contents)));
  }

  /** Fails the in-flight batch and every queued write, in issue order. */
  private void failAll(RuntimeException cause) {
    Batch batch = inFlight;
    inFlight = null;
    if (batch != null) {
      for (Pending pending : batch.writes()) {
        completions.fail(pending.done(), cause);
      }
    }
    for (Pending pending : queued) {
      completions.fail(pending.done(), cause);
    }
    queued.clear();
  }

  /** Ends the current incarnation: its pending writes and unfinished recovery fail. */
  private void retireCurrent(String reason) {
    Incarnation retired = current;
    if (retired != null) {
      JournaledStorageException cause = error(reason);
      failAll(cause);
      completions.fail(retired.recovered, cause);
      current = null;
    }
  }

  private JournaledStorageException error(String message) {
    return new JournaledStorageException(persistenceId, message + where(), null);
  }

  private JournaledStorageException error(String message, Throwable cause) {
    return new JournaledStorageException(persistenceId, message + where() + ": " + cause, cause);
  }

  private String where() {
    return " [persistence id "
        + persistenceId
        + ", journal plugin "
        + (journalPluginId.isEmpty() ? "(default)" : journalPluginId)
        + "]";
  }
}
