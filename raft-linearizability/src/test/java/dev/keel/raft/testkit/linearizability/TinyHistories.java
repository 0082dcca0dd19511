package dev.keel.raft.testkit.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Random tiny histories of any model, half of them linearizable by construction and half with one
 * output made wrong, checked against {@link BruteForceChecker}.
 *
 * <p>Each history has up to 7 operations on a short timeline. Every operation takes effect at a
 * random instant inside its interval and its output is what {@code truth} gives in that order; a
 * quarter are indeterminate, and take effect at a random later instant or never. Then, for odd
 * seeds, one completed operation gets an output drawn from {@code wrongOutputs} instead, which may
 * or may not still be explainable.
 *
 * @param truth the sequential semantics that produces outputs: (state, input) to (state, output)
 * @param inputs draws an input
 * @param wrongOutputs draws a plausible output for an input, often a wrong one
 */
record TinyHistories<S, I, O>(
    BiFunction<S, I, DeterministicModel.Transition<S, O>> truth,
    Function<SplittableRandom, I> inputs,
    BiFunction<SplittableRandom, I, O> wrongOutputs) {

  private static final Duration BUDGET = Duration.ofSeconds(30);

  private record Planned<I>(
      int id, I input, long invoke, long effect, long returned, boolean lost) {}

  /**
   * Asserts that the checker and brute force agree on {@code seeds} histories, both verdicts met.
   */
  void assertCheckerAgreesWithBruteForce(Model<S, I, O> model, int seeds) {
    int linearizable = 0;
    for (long seed = 1; seed <= seeds; seed++) {
      History<I, O> history = generate(model.init(), seed);
      boolean expected = BruteForceChecker.isLinearizable(model, history);

      CheckResult result = LinearizabilityChecker.check(model, history, BUDGET);

      assertThat(result.outcome())
          .as("seed %d, %s: %s", seed, history.operations(), result.explanation())
          .isEqualTo(
              expected ? CheckResult.Outcome.LINEARIZABLE : CheckResult.Outcome.NOT_LINEARIZABLE);
      linearizable += expected ? 1 : 0;
    }
    assertThat(linearizable).as("both verdicts are exercised").isBetween(seeds / 5, seeds * 4 / 5);
  }

  History<I, O> generate(S initial, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Planned<I>> planned = new ArrayList<>();
    int count = 1 + random.nextInt(7);
    for (int id = 0; id < count; id++) {
      long invoke = random.nextInt(20);
      long returned = invoke + random.nextInt(8);
      boolean indeterminate = random.nextInt(4) == 0;
      long effect = invoke + random.nextLong((indeterminate ? 30 : returned - invoke) + 1);
      boolean lost = indeterminate && random.nextBoolean();
      planned.add(
          new Planned<>(
              id,
              inputs.apply(random),
              invoke,
              effect,
              indeterminate ? Operation.NEVER : returned,
              lost));
    }
    List<@Nullable O> outputs = outputsInEffectOrder(initial, planned);
    if (seed % 2 == 1) {
      int victim = random.nextInt(count);
      if (planned.get(victim).returned() != Operation.NEVER) {
        outputs.set(victim, wrongOutputs.apply(random, planned.get(victim).input()));
      }
    }
    List<Operation<I, O>> operations = new ArrayList<>();
    for (Planned<I> op : planned) {
      O output = outputs.get(op.id());
      operations.add(
          output == null
              ? Operation.indeterminate(op.id(), op.id(), op.input(), op.invoke())
              : Operation.completed(
                  op.id(), op.id(), op.input(), output, op.invoke(), op.returned()));
    }
    return History.of(operations);
  }

  /** The output of each operation, by id, when they take effect in order; null if indeterminate. */
  private List<@Nullable O> outputsInEffectOrder(S initial, List<Planned<I>> planned) {
    List<@Nullable O> outputs = new ArrayList<>();
    planned.forEach(op -> outputs.add(null));
    List<Planned<I>> byEffect = new ArrayList<>(planned);
    byEffect.sort(Comparator.comparingLong(Planned<I>::effect).thenComparingInt(Planned::id));
    S state = initial;
    for (Planned<I> op : byEffect) {
      if (op.lost()) {
        continue;
      }
      DeterministicModel.Transition<S, O> transition = truth.apply(state, op.input());
      state = transition.state();
      if (op.returned() != Operation.NEVER) {
        outputs.set(op.id(), transition.output());
      }
    }
    return outputs;
  }
}
