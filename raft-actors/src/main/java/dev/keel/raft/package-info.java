/**
 * Keel's public API: {@link dev.keel.raft.RaftPeer} and its messages and replies, the {@link
 * dev.keel.raft.StateMachine} SPI, settings and the transport interface. Role behaviors and
 * replicators live in {@code internal}, Raft's rules in {@code rules}, the wire protocol in {@code
 * protocol}.
 */
@NullMarked
package dev.keel.raft;

import org.jspecify.annotations.NullMarked;
