/**
 * Write benchmarks: a Raft group in one JVM under C concurrent closed-loop writers, with in-memory
 * or fsynced RocksDB-journal storage, printing one JSON line per result (DESIGN §6). Not tests: run
 * {@link dev.keel.examples.bench.InProcessWriteBenchmark} by hand.
 *
 * <p>Depends on Keel's public API, {@code raft-persistence}'s storages and statistics, the
 * testkit's in-process network, and HdrHistogram.
 */
@NullMarked
package dev.keel.examples.bench;

import org.jspecify.annotations.NullMarked;
