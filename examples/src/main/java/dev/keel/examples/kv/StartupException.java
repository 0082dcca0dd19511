package dev.keel.examples.kv;

/**
 * A node cannot start: a one-line message for the operator and the process's exit code (documented
 * in the README, "kv-node").
 */
public final class StartupException extends Exception {

  /** Bad flags: missing, malformed, or a peers list without this node. */
  public static final int USAGE = 2;

  /** TLS material missing, unreadable, or not matching (key, certificate, CA, name). */
  public static final int TLS = 3;

  /** The data directory belongs to another node or cluster, is in use, or cannot be used. */
  public static final int DATA_DIR = 4;

  /** The Raft or HTTP port is in use. */
  public static final int PORT_IN_USE = 5;

  /** Anything else that stopped the node from starting. */
  public static final int OTHER = 1;

  private static final long serialVersionUID = 1L;

  private final int exitCode;

  /**
   * A startup failure.
   *
   * @param exitCode the process's exit code: one of the constants of this class
   * @param message one line saying what is wrong and, where possible, how to fix it
   */
  public StartupException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  /** The exit code the process ends with. */
  public int exitCode() {
    return exitCode;
  }
}
