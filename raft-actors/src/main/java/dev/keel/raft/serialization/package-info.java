/**
 * Keel's wire format: {@link dev.keel.raft.serialization.KeelKryoSerializer}, a Pekko serializer
 * built on Kryo 5 with required, fixed registration ids.
 *
 * <p>Wire format. The Pekko manifest is the registration id of the message's class; the bytes are
 * the message without its class. Inside a message, a value whose class the reader cannot know (a
 * user command, a reply's result, a collection element) is preceded by {@code varint(id + 2)}
 * ({@code 0} for null); a class name is never accepted. Protocol messages and log entries have
 * hand-written formats (fields in declaration order, {@code long}s as variable-length integers,
 * strings as {@code varint(utf8Length + 1)} and UTF-8 bytes); the client API records use Kryo's
 * record serializer (components in name order). A change to a class's format takes a new id.
 *
 * <p>Depends on the public API, the protocol, raft-persistence's log entries, Kryo and Pekko.
 */
@NullMarked
package dev.keel.raft.serialization;

import org.jspecify.annotations.NullMarked;
