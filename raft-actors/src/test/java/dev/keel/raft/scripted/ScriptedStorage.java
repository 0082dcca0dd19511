package dev.keel.raft.scripted;

import dev.keel.raft.persistence.InMemoryRaftStorage;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.RaftStorage;
import dev.keel.raft.persistence.RecoveredState;
import dev.keel.raft.persistence.StoredSnapshot;
import dev.keel.raft.persistence.TermAndVote;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The storage of a scripted peer: an {@link InMemoryRaftStorage} whose writes become durable when
 * the test says so. By default a write completes at once; after {@link #hold()} completions wait
 * until {@link #releaseNext()} or {@link #releaseAll()}, always in issue order (the {@link
 * RaftStorage} ordering contract), so a test can put a slow disk anywhere in a script. {@link
 * #failNext()} makes the next write fail. Thread-safe.
 */
final class ScriptedStorage implements RaftStorage {

  /** One write the peer issued, described for assertions. */
  record Write(String kind, String detail) {}

  private final InMemoryRaftStorage inner;
  private final List<Write> issued = new ArrayList<>();
  // Completions waiting for the test, in issue order.
  private final ArrayDeque<Runnable> held = new ArrayDeque<>();
  private boolean holding;
  private boolean failNext;

  ScriptedStorage() {
    this(new InMemoryRaftStorage());
  }

  /** A storage over {@code inner}, so a restarted peer finds what the previous one wrote. */
  ScriptedStorage(InMemoryRaftStorage inner) {
    this.inner = inner;
  }

  /** The durable state underneath, shared with a restarted peer. */
  InMemoryRaftStorage inner() {
    return inner;
  }

  // The next recovery's result, completed by the test; taken by the first recover() after
  // holdRecovery(), whether the test completed it yet or not. Null when recovery is immediate.
  private CompletableFuture<RecoveredState> heldRecovery;
  private CompletableFuture<RecoveredState> recoveryControl = new CompletableFuture<>();

  @Override
  public synchronized CompletionStage<RecoveredState> recover() {
    CompletableFuture<RecoveredState> held = heldRecovery;
    if (held != null) {
      heldRecovery = null;
      return held;
    }
    return inner.recover();
  }

  /** The next recovery waits for {@link #releaseRecovery()} or {@link #failRecovery}. */
  synchronized void holdRecovery() {
    recoveryControl = new CompletableFuture<>();
    heldRecovery = recoveryControl;
  }

  /** Completes a held recovery with what the storage holds. */
  void releaseRecovery() {
    CompletableFuture<RecoveredState> control;
    synchronized (this) {
      control = recoveryControl;
    }
    inner
        .recover()
        .whenComplete(
            (state, failure) -> {
              if (failure != null) {
                control.completeExceptionally(failure);
              } else {
                control.complete(state);
              }
            });
  }

  /** Fails a held recovery, as an unreadable journal would. */
  void failRecovery(Throwable failure) {
    CompletableFuture<RecoveredState> control;
    synchronized (this) {
      control = recoveryControl;
    }
    control.completeExceptionally(failure);
  }

  @Override
  public CompletionStage<Void> saveTermAndVote(TermAndVote termAndVote) {
    return write("term-and-vote", termAndVote.toString(), () -> inner.saveTermAndVote(termAndVote));
  }

  @Override
  public CompletionStage<Void> appendEntries(List<LogEntry> entries) {
    String range = entries.get(0).index() + ".." + entries.get(entries.size() - 1).index();
    return write("entries", range, () -> inner.appendEntries(entries));
  }

  @Override
  public CompletionStage<Void> saveSnapshot(StoredSnapshot snapshot, boolean keepLaterEntries) {
    return write(
        "snapshot",
        snapshot.metadata().lastIncludedIndex() + (keepLaterEntries ? " keep" : " reset"),
        () -> inner.saveSnapshot(snapshot, keepLaterEntries));
  }

  private synchronized CompletionStage<Void> write(
      String kind, String detail, Supplier<CompletionStage<Void>> operation) {
    issued.add(new Write(kind, detail));
    CompletableFuture<Void> result = new CompletableFuture<>();
    if (failNext) {
      failNext = false;
      Runnable fail = () -> result.completeExceptionally(new IOException("scripted disk failure"));
      complete(fail);
      return result;
    }
    CompletionStage<Void> done = operation.get();
    complete(
        () ->
            done.whenComplete(
                (ok, failure) -> {
                  if (failure != null) {
                    result.completeExceptionally(failure);
                  } else {
                    result.complete(null);
                  }
                }));
    return result;
  }

  private void complete(Runnable completion) {
    if (holding || !held.isEmpty()) {
      held.addLast(completion);
    } else {
      completion.run();
    }
  }

  /** From now on, writes wait for {@link #releaseNext()} or {@link #releaseAll()}. */
  synchronized void hold() {
    holding = true;
  }

  /** Completes the oldest waiting write; false if none waits. */
  boolean releaseNext() {
    Runnable next;
    synchronized (this) {
      next = held.pollFirst();
    }
    if (next == null) {
      return false;
    }
    next.run();
    return true;
  }

  /** Completes every waiting write and stops holding. */
  void releaseAll() {
    synchronized (this) {
      holding = false;
    }
    while (releaseNext()) {
      // completes in issue order
    }
  }

  /** How many writes wait for the test. */
  synchronized int heldCount() {
    return held.size();
  }

  /** Makes the next write fail with an I/O error. */
  synchronized void failNext() {
    failNext = true;
  }

  /** Every write the peer issued so far, in order. */
  synchronized List<Write> issued() {
    return List.copyOf(issued);
  }

  /** The writes of one kind ("term-and-vote", "entries", "snapshot"). */
  synchronized List<Write> issued(String kind) {
    return issued.stream().filter(w -> w.kind().equals(kind)).toList();
  }

  @Override
  public void close() {
    inner.close();
  }
}
