/**
 * The peer-to-peer protocol: immutable records named as in Figure 2 of the Raft paper. Depends on
 * the public API package (for the command type) and raft-persistence (for log entries).
 */
@NullMarked
package dev.keel.raft.protocol;

import org.jspecify.annotations.NullMarked;
