package dev.keel.raft.testkit.linearizability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link History} from a log of events with explicit times, as other tools record
 * histories (Jepsen, Porcupine, a test harness's trace): every operation appears as an invocation
 * and later a completion by the same client. Completions are paired with invocations by client, so
 * a client has at most one operation outstanding at a time.
 *
 * <pre>{@code
 * EventLog<KvOp<String, String>, Response<String>> log = EventLog.create();
 * log.invoke(1, KvOp.put("x", "a"), 100)
 *    .invoke(2, KvOp.get("x"), 120)
 *    .ok(1, Response.ack(), 150)
 *    .ok(2, Response.value("a"), 160)
 *    .invoke(1, KvOp.put("x", "b"), 170)
 *    .indeterminate(1, 400); // timed out, like Jepsen's :info
 * History<KvOp<String, String>, Response<String>> history = log.history();
 * }</pre>
 *
 * <p>A completion is {@link #ok} with the output the client was told, {@link #fail} when the
 * operation certainly did not take effect (it is left out), or {@link #indeterminate} when its
 * outcome is unknown (it may take effect at any time after its invocation, or never). An invocation
 * still outstanding when the log ends is indeterminate too, as for a client that crashed. A log
 * that has no times but is in order can use each event's position as its time. Operation ids follow
 * the order of the invocations.
 *
 * <p>Every method checks the event against the log so far and throws {@link
 * IllegalArgumentException}, naming the event's position (from 1), client and time, for a
 * completion with no outstanding invocation, a second invocation while one is outstanding, or a
 * client's event earlier than its previous one. Not thread-safe.
 *
 * @param <I> the operations' input type
 * @param <O> the operations' output type
 */
public final class EventLog<I, O> {

  private record Pending<I>(int id, I input, long invokeNanos, int event) {
    /** This invocation as an operation whose outcome is unknown. */
    <O> Operation<I, O> indeterminate(int clientId) {
      return Operation.indeterminate(id, clientId, input, invokeNanos);
    }
  }

  private final List<Operation<I, O>> completed = new ArrayList<>();
  private final Map<Integer, Pending<I>> outstanding = new HashMap<>();

  /** Each client's latest event time; a client's events must not go back in time. */
  private final Map<Integer, Long> latest = new HashMap<>();

  private int events;
  private int invocations;

  private EventLog() {}

  /** An empty log. */
  public static <I, O> EventLog<I, O> create() {
    return new EventLog<>();
  }

  /**
   * {@code clientId} sent {@code input} at {@code nanos}.
   *
   * @throws IllegalArgumentException if the client has an operation outstanding, or its previous
   *     event is later
   */
  public EventLog<I, O> invoke(int clientId, I input, long nanos) {
    Objects.requireNonNull(input, "input");
    int event = advance(clientId, nanos);
    Pending<I> pending = outstanding.get(clientId);
    if (pending != null) {
      throw malformed(
          event,
          clientId,
          nanos,
          String.format(
              Locale.ROOT,
              "invokes %s while its %s invoked at %d (event %d) has not completed; a client runs"
                  + " one operation at a time",
              input,
              pending.input(),
              pending.invokeNanos(),
              pending.event()));
    }
    outstanding.put(clientId, new Pending<>(invocations++, input, nanos, event));
    return this;
  }

  /**
   * The outstanding operation of {@code clientId} returned {@code output} at {@code nanos}.
   *
   * @throws IllegalArgumentException if the client has no operation outstanding, or its previous
   *     event is later
   */
  public EventLog<I, O> ok(int clientId, O output, long nanos) {
    Objects.requireNonNull(output, "output");
    Pending<I> pending = complete(clientId, nanos, "returns " + output);
    completed.add(
        Operation.completed(
            pending.id(), clientId, pending.input(), output, pending.invokeNanos(), nanos));
    return this;
  }

  /**
   * The outstanding operation of {@code clientId} certainly did not take effect, e.g. it was
   * refused before being proposed. It is left out of the history.
   *
   * @throws IllegalArgumentException as {@link #ok} does
   */
  public EventLog<I, O> fail(int clientId, long nanos) {
    complete(clientId, nanos, "fails");
    return this;
  }

  /**
   * The outcome of the outstanding operation of {@code clientId} is unknown (it timed out; Jepsen
   * calls this {@code :info}): it may take effect at any time after its invocation, or never.
   *
   * @throws IllegalArgumentException as {@link #ok} does
   */
  public EventLog<I, O> indeterminate(int clientId, long nanos) {
    Pending<I> pending = complete(clientId, nanos, "ends indeterminate");
    completed.add(pending.indeterminate(clientId));
    return this;
  }

  /**
   * The history of the log so far; operations still outstanding are indeterminate. The log may be
   * extended and read again.
   */
  public History<I, O> history() {
    List<Operation<I, O>> operations = new ArrayList<>(completed);
    outstanding.forEach((clientId, pending) -> operations.add(pending.indeterminate(clientId)));
    return History.of(operations);
  }

  private Pending<I> complete(int clientId, long nanos, String what) {
    int event = advance(clientId, nanos);
    Pending<I> pending = outstanding.remove(clientId);
    if (pending == null) {
      throw malformed(event, clientId, nanos, what + " with no invocation outstanding");
    }
    return pending;
  }

  /** Counts an event and checks that its client's events stay in time order; its position. */
  private int advance(int clientId, long nanos) {
    int event = ++events;
    @Nullable Long previous = latest.get(clientId);
    if (previous != null && nanos < previous) {
      throw malformed(
          event, clientId, nanos, "goes back in time: its previous event was at " + previous);
    }
    latest.put(clientId, nanos);
    return event;
  }

  private static IllegalArgumentException malformed(
      int event, int clientId, long nanos, String problem) {
    return new IllegalArgumentException(
        String.format(
            Locale.ROOT, "event %d, client %d at %d: %s", event, clientId, nanos, problem));
  }
}
