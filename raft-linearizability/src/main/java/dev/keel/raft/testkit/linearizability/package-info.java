/**
 * History recording and linearizability checking, in plain Java.
 *
 * <p>Clients record what they asked and what they were told in a {@link
 * dev.keel.raft.testkit.linearizability.HistoryRecorder}; the {@link
 * dev.keel.raft.testkit.linearizability.LinearizabilityChecker} then decides whether some total
 * order of the operations, consistent with real time, explains every result under a sequential
 * {@link dev.keel.raft.testkit.linearizability.Model}. The search is Wing and Gong's, with Lowe's
 * memoization of (linearized set, model state), as in Porcupine and Knossos. Built-in models: a
 * {@link dev.keel.raft.testkit.linearizability.RegisterModel register} and a {@link
 * dev.keel.raft.testkit.linearizability.KvModel key-value map}, checked key by key.
 *
 * <p>Depends on the JDK and JSpecify only: no Pekko, no Keel classes, so it can check histories of
 * any system.
 */
@NullMarked
package dev.keel.raft.testkit.linearizability;

import org.jspecify.annotations.NullMarked;
