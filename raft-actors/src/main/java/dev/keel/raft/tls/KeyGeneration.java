package dev.keel.raft.tls;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One version of a node's key material in use, and whether a newer one has replaced it (then the
 * connections made with it are closed and made again, if {@code close-connections-on-change}), or
 * the actor system is shutting down (then every connection is closed).
 */
final class KeyGeneration {

  final KeyMaterial material;
  final long number;
  // Set for every generation of a provider at once when its actor system shuts down.
  private final AtomicBoolean shuttingDown;
  private volatile boolean retired;

  KeyGeneration(KeyMaterial material, long number, AtomicBoolean shuttingDown) {
    this.material = material;
    this.number = number;
    this.shuttingDown = shuttingDown;
  }

  boolean retired() {
    return retired || shuttingDown.get();
  }

  void retire() {
    retired = true;
  }
}
