/**
 * The peer's actors: one behavior per role (follower, candidate, leader) sharing one {@code
 * PeerState}, a replicator child per follower, and an applier child that owns the state machine.
 * Raft decisions come from {@code dev.keel.raft.rules}; this package carries them out in durable
 * order. Not a public API.
 */
@NullMarked
package dev.keel.raft.internal;

import org.jspecify.annotations.NullMarked;
