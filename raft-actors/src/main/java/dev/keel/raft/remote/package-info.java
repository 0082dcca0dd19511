/**
 * Keel across actor systems: {@link dev.keel.raft.remote.RemotePeerTransport} (Pekko Artery, mutual
 * TLS by default), the per-node configuration ({@link dev.keel.raft.remote.NodeSettings}, the
 * {@code keel.node} block) and the startup check that Keel's messages fit in Artery's frames
 * ({@link dev.keel.raft.remote.FrameLimits}).
 *
 * <p>Depends on the public API, the protocol, {@code dev.keel.raft.tls} and Pekko remote.
 */
@NullMarked
package dev.keel.raft.remote;

import org.jspecify.annotations.NullMarked;
