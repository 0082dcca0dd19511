/**
 * The KV store example: {@link dev.keel.examples.kv.KvStore}, a replicated key-value state machine,
 * embedded in {@code kv-node} ({@link dev.keel.examples.kv.KvNodeCommand}, {@link
 * dev.keel.examples.kv.KvStoreNode}): one Raft peer on durable storage, Pekko Artery over mutual
 * TLS, and an HTTP API served by pekko-http (README, "The KV store"). Depends on Keel's public API,
 * the remote example ({@code dev.keel.examples.remote.KvNode}), pekko-http, Jackson and picocli.
 */
@NullMarked
package dev.keel.examples.kv;

import org.jspecify.annotations.NullMarked;
