/** A key-value state machine for safety campaigns and examples of user state machines. */
@NullMarked
package dev.keel.raft.testkit.kv;

import org.jspecify.annotations.NullMarked;
