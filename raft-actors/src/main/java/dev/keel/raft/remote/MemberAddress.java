package dev.keel.raft.remote;

/**
 * Where a member's actor system is reachable: the canonical (advertised) host and port of its
 * Artery remoting. A property of the member, not its identity: members are known by name.
 *
 * @param host host name or IP address (IPv6 without brackets)
 * @param port TCP port, 1–65535
 */
public record MemberAddress(String host, int port) {

  /** Checks the values. */
  public MemberAddress {
    if (host.isBlank()) {
      throw new IllegalArgumentException("a member's host cannot be empty");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("a member's port must be 1-65535, was " + port);
    }
  }

  /**
   * Parses {@code host:port}, or {@code [ipv6]:port}.
   *
   * @throws IllegalArgumentException if {@code text} is not of that form
   */
  public static MemberAddress parse(String text) {
    String trimmed = text.trim();
    int colon = trimmed.lastIndexOf(':');
    if (colon <= 0 || colon == trimmed.length() - 1) {
      throw new IllegalArgumentException("expected host:port, was '" + text + "'");
    }
    String host = trimmed.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException(
          "write IPv6 addresses as [address]:port, was '" + text + "'");
    }
    int port;
    try {
      port = Integer.parseInt(trimmed.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected host:port, was '" + text + "'", e);
    }
    return new MemberAddress(host, port);
  }

  /** {@code host:port}, with brackets around an IPv6 address. */
  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
