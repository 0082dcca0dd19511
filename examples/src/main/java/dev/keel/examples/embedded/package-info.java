/** The smallest embedding of Keel: {@link dev.keel.examples.embedded.ReplicatedCounter}. */
@NullMarked
package dev.keel.examples.embedded;

import org.jspecify.annotations.NullMarked;
