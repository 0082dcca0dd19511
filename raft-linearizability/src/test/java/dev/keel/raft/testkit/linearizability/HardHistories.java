package dev.keel.raft.testkit.linearizability;

import java.util.ArrayList;
import java.util.List;

/** Key-value histories with a part that is hard to decide, or with one read corrupted. */
final class HardHistories {

  /** How long the hard key's writes last; the rest of a history starts after its read. */
  private static final long HARD_SPAN = 1_000;

  private HardHistories() {}

  /**
   * Adds {@code writers} fully concurrent puts of {@code key} by clients 1.., then a read by client
   * 0 of a value none of them wrote: to prove the read impossible the search must try every subset
   * of the writes, about 2^writers configurations.
   */
  static History.Builder<KvOp<String, Integer>, Response<Integer>> exponential(
      History.Builder<KvOp<String, Integer>, Response<Integer>> history, String key, int writers) {
    for (int i = 1; i <= writers; i++) {
      history.ok(i, KvOp.put(key, i), Response.ack(), 0, 100);
    }
    return history.ok(0, KvOp.get(key), Response.value(-1), 200, 210);
  }

  /**
   * {@code rest}, after a key named {@code hard} whose part comes first and needs about 2^writers
   * configurations to decide (see {@link #exponential}).
   */
  static History<KvOp<String, Integer>, Response<Integer>> hardKeyFirst(
      History<KvOp<String, Integer>, Response<Integer>> rest, int writers) {
    List<Operation<KvOp<String, Integer>, Response<Integer>>> operations =
        new ArrayList<>(exponential(Histories.kv(), "hard", writers).build().operations());
    int firstId = operations.size();
    long shift = HARD_SPAN - rest.startNanos();
    for (Operation<KvOp<String, Integer>, Response<Integer>> op : rest.operations()) {
      operations.add(
          new Operation<>(
              firstId + op.id(),
              op.clientId(),
              op.input(),
              op.output(),
              op.invokeNanos() + shift,
              op.isIndeterminate() ? Operation.NEVER : op.returnNanos() + shift));
    }
    return History.of(operations);
  }

  /** {@code history} with its last completed get made to return -1, a value never written. */
  static Corrupted corruptLastRead(History<KvOp<String, Integer>, Response<Integer>> history) {
    List<Operation<KvOp<String, Integer>, Response<Integer>>> operations =
        new ArrayList<>(history.operations());
    for (int i = operations.size() - 1; i >= 0; i--) {
      Operation<KvOp<String, Integer>, Response<Integer>> op = operations.get(i);
      if (op.input() instanceof KvOp.Get<String, Integer> && !op.isIndeterminate()) {
        Operation<KvOp<String, Integer>, Response<Integer>> corrupted =
            op.withOutput(Response.value(-1));
        operations.set(i, corrupted);
        return new Corrupted(History.of(operations), corrupted);
      }
    }
    throw new IllegalArgumentException("no completed read to corrupt in " + history);
  }

  /**
   * A history with one read corrupted.
   *
   * @param history the history
   * @param read the corrupted read, as it is in {@code history}
   */
  record Corrupted(
      History<KvOp<String, Integer>, Response<Integer>> history,
      Operation<KvOp<String, Integer>, Response<Integer>> read) {}
}
