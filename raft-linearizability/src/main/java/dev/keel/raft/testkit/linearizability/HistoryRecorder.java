package dev.keel.raft.testkit.linearizability;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Records a history of client operations as they happen; safe to share between client threads.
 *
 * <p>Call {@link #invoke} just before sending a request and complete the handle as soon as the
 * answer arrives, so that every operation's recorded interval contains the instant it took effect:
 *
 * <pre>{@code
 * HistoryRecorder<KvOp<String, String>, Response<String>> recorder = new HistoryRecorder<>();
 * OperationHandle<Response<String>> op = recorder.invoke(clientId, KvOp.put("x", "1"));
 * try {
 *   client.put("x", "1");
 *   op.ok(Response.ack());
 * } catch (NotLeaderException e) {
 *   op.fail();
 * } catch (TimeoutException e) {
 *   op.indeterminate();
 * }
 * }</pre>
 *
 * @param <I> the input type
 * @param <O> the output type
 */
public final class HistoryRecorder<I, O> {

  private enum Status {
    PENDING,
    OK,
    FAILED,
    INDETERMINATE
  }

  private final LongSupplier nanoClock;
  private final Object lock = new Object();

  /** Every invoked operation, in invocation order; index = operation id. Guarded by lock. */
  private final List<Slot> slots = new ArrayList<>();

  /** A recorder on {@link System#nanoTime()}. */
  public HistoryRecorder() {
    this(System::nanoTime);
  }

  /**
   * A recorder on the given clock.
   *
   * @param nanoClock a monotonic clock in nanoseconds, e.g. a simulation's or test's own clock
   */
  public HistoryRecorder(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** Records that {@code clientId} is about to send {@code input}, at the clock's current time. */
  public OperationHandle<O> invoke(int clientId, I input) {
    synchronized (lock) {
      Slot slot = new Slot(slots.size(), clientId, input, nanoClock.getAsLong());
      slots.add(slot);
      return slot;
    }
  }

  /**
   * The history recorded so far: completed operations with their outputs, failed ones left out, and
   * timed-out or still pending ones as indeterminate.
   */
  public History<I, O> history() {
    List<Operation<I, O>> operations = new ArrayList<>();
    synchronized (lock) {
      for (Slot slot : slots) {
        slot.toOperation(operations);
      }
    }
    return History.of(operations);
  }

  /** One recorded operation; all fields but the final ones are guarded by the recorder's lock. */
  private final class Slot implements OperationHandle<O> {
    private final int id;
    private final int clientId;
    private final I input;
    private final long invokeNanos;
    private Status status = Status.PENDING;
    private @Nullable O output;
    private long returnNanos;

    Slot(int id, int clientId, I input, long invokeNanos) {
      this.id = id;
      this.clientId = clientId;
      this.input = input;
      this.invokeNanos = invokeNanos;
    }

    @Override
    public void ok(O result) {
      complete(Status.OK, Objects.requireNonNull(result, "output"));
    }

    @Override
    public void fail() {
      complete(Status.FAILED, null);
    }

    @Override
    public void indeterminate() {
      complete(Status.INDETERMINATE, null);
    }

    private void complete(Status outcome, @Nullable O result) {
      synchronized (lock) {
        if (status != Status.PENDING) {
          throw new IllegalStateException(
              "operation " + id + " (" + input + ") was already completed as " + status);
        }
        status = outcome;
        output = result;
        returnNanos = nanoClock.getAsLong();
      }
    }

    void toOperation(List<Operation<I, O>> into) {
      O result = output;
      if (status == Status.OK && result != null) {
        into.add(Operation.completed(id, clientId, input, result, invokeNanos, returnNanos));
      } else if (status != Status.FAILED) {
        into.add(Operation.indeterminate(id, clientId, input, invokeNanos));
      }
    }
  }
}
