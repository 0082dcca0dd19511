/**
 * Raft's decisions as plain classes: vote granting, log matching and conflict resolution, commit
 * index from match indexes, replication flow control, read-index bookkeeping, durability tracking.
 * No actors, clocks, threads or I/O in here (checked by an ArchUnit test), so every rule is
 * unit-tested directly. The role behaviors call these and carry out what they decide.
 */
@NullMarked
package dev.keel.raft.rules;

import org.jspecify.annotations.NullMarked;
