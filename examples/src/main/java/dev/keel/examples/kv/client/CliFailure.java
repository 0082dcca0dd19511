package dev.keel.examples.kv.client;

/** A {@code kv} command failed: one line for stderr and the exit code of its class. */
final class CliFailure extends Exception {

  private static final long serialVersionUID = 1L;

  private final int exitCode;

  CliFailure(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
