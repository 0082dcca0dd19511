/**
 * {@code kv}, the command-line client of the KV store: talks HTTP to the nodes it knows, follows
 * redirects to the leader, retries while no leader is known, and exits with a distinct code per
 * error class ({@link dev.keel.examples.kv.client.KvCli}). Depends on the JDK's HTTP client,
 * Jackson and picocli only: no Pekko.
 */
@NullMarked
package dev.keel.examples.kv.client;

import org.jspecify.annotations.NullMarked;
