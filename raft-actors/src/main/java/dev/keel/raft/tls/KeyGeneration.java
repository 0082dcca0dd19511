package dev.keel.raft.tls;

/**
 * One version of a node's key material in use, and whether a newer one has replaced it (then the
 * connections made with it are closed and made again, if {@code close-connections-on-change}).
 */
final class KeyGeneration {

  final KeyMaterial material;
  final long number;
  private volatile boolean retired;

  KeyGeneration(KeyMaterial material, long number) {
    this.material = material;
    this.number = number;
  }

  boolean retired() {
    return retired;
  }

  void retire() {
    retired = true;
  }
}
