package dev.keel.raft.testkit.linearizability;

import java.time.Duration;

/** Shorthands for hand-written register and key-value histories in tests. */
final class Histories {

  /** Generous: the hand-written histories take microseconds; this only guards against a hang. */
  static final Duration BUDGET = Duration.ofSeconds(30);

  private Histories() {}

  /** A builder of register histories of integers. */
  static History.Builder<RegisterOp<Integer>, Response<Integer>> register() {
    return History.builder();
  }

  /** A builder of key-value histories with string keys and integer values. */
  static History.Builder<KvOp<String, Integer>, Response<Integer>> kv() {
    return History.builder();
  }

  /** Checks a register history that starts at 0. */
  static CheckResult checkRegister(History<RegisterOp<Integer>, Response<Integer>> history) {
    return LinearizabilityChecker.check(RegisterModel.startingAt(0), history, BUDGET);
  }

  /** Checks the history written so far against {@code model}. */
  static <S, I, O> CheckResult check(Model<S, I, O> model, History.Builder<I, O> history) {
    return LinearizabilityChecker.check(model, history.build(), BUDGET);
  }

  /** Checks a key-value history. */
  static CheckResult checkKv(History<KvOp<String, Integer>, Response<Integer>> history) {
    return LinearizabilityChecker.check(KvModel.create(), history, BUDGET);
  }
}
