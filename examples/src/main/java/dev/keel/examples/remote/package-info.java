/**
 * Keel across processes: {@link dev.keel.examples.remote.KvNode}, one node of a replicated
 * key-value store over mutual TLS with durable storage, and {@link
 * dev.keel.examples.remote.LocalProcessCluster}, which starts, kills and restarts such nodes on
 * loopback for tests and benchmarks, through {@link dev.keel.examples.remote.NodeProcesses}.
 */
@NullMarked
package dev.keel.examples.remote;

import org.jspecify.annotations.NullMarked;
