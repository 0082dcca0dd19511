/**
 * Keel's testkit: whole Raft groups in one JVM ({@link dev.keel.raft.testkit.TestCluster}) over a
 * simulated network with faults ({@link dev.keel.raft.testkit.InProcessNetwork}), for testing state
 * machines under partitions, crashes, power cuts ({@link dev.keel.raft.testkit.PowerLossStorage})
 * and crashes inside a persistence step ({@link dev.keel.raft.testkit.CrashPointStorage}). Depends
 * on raft-actors and Pekko's testkit.
 */
@NullMarked
package dev.keel.raft.testkit;

import org.jspecify.annotations.NullMarked;
