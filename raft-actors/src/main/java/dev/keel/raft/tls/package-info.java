/**
 * Mutual TLS between Keel nodes: {@link dev.keel.raft.tls.KeelSslEngineProvider}, the Pekko Artery
 * {@code SSLEngineProvider} that reloads rotated key material from disk and reports refused
 * handshakes, its settings ({@link dev.keel.raft.tls.TlsSettings}), and certificate tooling for
 * development CAs and node key material ({@link dev.keel.raft.tls.ClusterCa}, {@link
 * dev.keel.raft.tls.NodeKeyMaterial}, {@link dev.keel.raft.tls.PemFiles}).
 *
 * <p>Depends on the JDK's TLS, Pekko remote and BouncyCastle (certificates and PEM); nothing in
 * Keel's rules or role behaviors depends on it.
 */
@NullMarked
package dev.keel.raft.tls;

import org.jspecify.annotations.NullMarked;
