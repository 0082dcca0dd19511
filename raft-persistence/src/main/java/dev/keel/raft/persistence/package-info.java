/**
 * The durable Raft model (log entries, term and vote) and the storage interface a peer writes
 * through, with an in-memory implementation. Depends on nothing but the JDK and JSpecify.
 */
@NullMarked
package dev.keel.raft.persistence;

import org.jspecify.annotations.NullMarked;
