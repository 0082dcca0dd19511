package dev.keel.raft.testkit.linearizability;

import java.util.List;
import java.util.Optional;

/**
 * A naive reference for tiny histories: tries every order of the operations that respects real
 * time, with no memo and no pruning. An operation may go next if no operation still to place, other
 * than an indeterminate one, returned before it was invoked; indeterminate operations may also be
 * left out.
 */
final class BruteForceChecker {

  private BruteForceChecker() {}

  static <S, I, O> boolean isLinearizable(Model<S, I, O> model, History<I, O> history) {
    List<Operation<I, O>> operations = history.operations();
    return search(model, operations, new boolean[operations.size()], model.init());
  }

  private static <S, I, O> boolean search(
      Model<S, I, O> model, List<Operation<I, O>> operations, boolean[] placed, S state) {
    boolean allCompletedPlaced = true;
    for (int i = 0; i < operations.size(); i++) {
      allCompletedPlaced &= placed[i] || operations.get(i).isIndeterminate();
    }
    if (allCompletedPlaced) {
      return true;
    }
    for (int i = 0; i < operations.size(); i++) {
      if (placed[i] || !mayGoNext(operations, placed, i)) {
        continue;
      }
      Operation<I, O> operation = operations.get(i);
      Optional<S> after = model.step(state, operation.input(), operation.output());
      if (after.isPresent()) {
        placed[i] = true;
        boolean found = search(model, operations, placed, after.get());
        placed[i] = false;
        if (found) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean mayGoNext(
      List<? extends Operation<?, ?>> operations, boolean[] placed, int i) {
    for (int j = 0; j < operations.size(); j++) {
      if (!placed[j]
          && j != i
          && operations.get(j).returnNanos() < operations.get(i).invokeNanos()) {
        return false;
      }
    }
    return true;
  }
}
