package dev.keel.raft.testkit.linearizability;

import java.util.List;

/**
 * Where the search got stuck: after linearizing {@code depth} operations it reached the return of
 * {@code blockedOp}, which no order of the pending operations could linearize in time. The deepest
 * dead end is the report's window onto a violation. Ops are indexes into the part.
 *
 * @param depth how many operations were linearized: the length of the prefix
 * @param recentOps the prefix's last few operations, in linearization order
 * @param statesAfter the state after each of {@code recentOps}; the last is {@code state}
 * @param state the state at the dead end
 * @param blockedOp the operation that had returned without being linearized
 * @param pendingOps the operations invoked but not linearized before blockedOp returned, in
 *     invocation order; blockedOp among them
 * @param <S> the model's state type
 */
record DeadEnd<S>(
    int depth, int[] recentOps, List<S> statesAfter, S state, int blockedOp, int[] pendingOps) {}
