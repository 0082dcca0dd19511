/**
 * History recording and linearizability checking, in plain Java.
 *
 * <p>Clients record what they asked and what they were told in a {@link
 * dev.keel.raft.testkit.linearizability.HistoryRecorder} (or a recorded log is imported with an
 * {@link dev.keel.raft.testkit.linearizability.EventLog}); the {@link
 * dev.keel.raft.testkit.linearizability.LinearizabilityChecker} then decides whether some total
 * order of the operations, consistent with real time, explains every result under a sequential
 * {@link dev.keel.raft.testkit.linearizability.Model}. The search is Wing and Gong's, with Lowe's
 * memoization of (linearized set, model state), as in Porcupine and Knossos; the parts of a
 * partitioned history are searched concurrently, in turns, until the first violation.
 *
 * <p>Built-in models: a {@link dev.keel.raft.testkit.linearizability.RegisterModel register}, a
 * {@link dev.keel.raft.testkit.linearizability.KvModel key-value map} and {@link
 * dev.keel.raft.testkit.linearizability.ListAppendModel append-only lists}, checked key by key, a
 * {@link dev.keel.raft.testkit.linearizability.SetModel set}, a {@link
 * dev.keel.raft.testkit.linearizability.CounterModel counter} and a {@link
 * dev.keel.raft.testkit.linearizability.QueueModel FIFO queue}. {@link
 * dev.keel.raft.testkit.linearizability.DeterministicModel} makes a user's own model a function.
 *
 * <p>The whole of the {@code raft-linearizability} artifact. Depends on the JDK and JSpecify only:
 * no Pekko, no Keel classes, so it can check histories of any system (enforced by {@code
 * LinearizabilityArchitectureTest} and by a Maven Enforcer rule on the artifact's dependencies).
 */
@NullMarked
package dev.keel.raft.testkit.linearizability;

import org.jspecify.annotations.NullMarked;
