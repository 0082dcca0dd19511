package dev.keel.examples.kv;

import dev.keel.raft.remote.MemberAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The flags of one {@code kv-node}, checked: {@code --name}, {@code --raft-port}, {@code
 * --http-port}, {@code --data-dir}, {@code --peers}, {@code --tls-dir}, and the optional {@code
 * --http-host}.
 *
 * @param name this node's name
 * @param raftPort the port of its Raft (Pekko Artery over mutual TLS) endpoint
 * @param httpPort the port of its HTTP API
 * @param dataDir where its durable state lives
 * @param peers every member's name and Raft address, this node included, in the given order
 * @param tlsDir the cluster's TLS directory ({@link TlsDir})
 * @param httpHost the interface the HTTP API listens on, and the host in its advertised URL
 */
public record KvNodeOptions(
    String name,
    int raftPort,
    int httpPort,
    Path dataDir,
    Map<String, MemberAddress> peers,
    Path tlsDir,
    String httpHost) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

  /** Copies the peers, keeping their order. */
  public KvNodeOptions {
    peers = new LinkedHashMap<>(peers);
  }

  /**
   * Checks the flags as given on the command line.
   *
   * @param peers the {@code --peers} value: {@code NAME@HOST:PORT,...}
   * @throws StartupException ({@link StartupException#USAGE}) naming the flag that is wrong
   */
  public static KvNodeOptions of(
      String name,
      int raftPort,
      int httpPort,
      Path dataDir,
      String peers,
      Path tlsDir,
      String httpHost)
      throws StartupException {
    if (!NAME.matcher(name).matches()) {
      throw usage("--name must be letters, digits, '_' or '-', was '" + name + "'");
    }
    port("--raft-port", raftPort);
    port("--http-port", httpPort);
    Map<String, MemberAddress> members = parsePeers(peers);
    MemberAddress self = members.get(name);
    if (self == null) {
      throw usage(
          "--peers must include this node, "
              + name
              + " (NAME@HOST:PORT); it lists "
              + String.join(", ", members.keySet()));
    }
    if (self.port() != raftPort) {
      throw usage(
          "--raft-port "
              + raftPort
              + " differs from "
              + name
              + "'s entry in --peers ("
              + self
              + ")");
    }
    if (httpPort == raftPort) {
      throw usage("--http-port and --raft-port are both " + raftPort);
    }
    if (httpHost.isBlank()) {
      throw usage("--http-host cannot be empty");
    }
    return new KvNodeOptions(name, raftPort, httpPort, dataDir, members, tlsDir, httpHost);
  }

  /**
   * The base URL this node's HTTP API is reached at: on {@code --http-host}, or on the host of its
   * Raft address if {@code --http-host} is a wildcard ({@code 0.0.0.0}, {@code ::}).
   */
  public String httpUrl() {
    boolean wildcard = httpHost.equals("0.0.0.0") || httpHost.equals("::");
    String host = wildcard ? raftAddress().host() : httpHost;
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + httpPort;
  }

  /** The Raft address of this node. */
  public MemberAddress raftAddress() {
    MemberAddress self = peers.get(name);
    if (self == null) {
      throw new IllegalStateException("checked by of(...)");
    }
    return self;
  }

  private static Map<String, MemberAddress> parsePeers(String peers) throws StartupException {
    Map<String, MemberAddress> members = new LinkedHashMap<>();
    for (String entry : peers.split(",", -1)) {
      String trimmed = entry.trim();
      int at = trimmed.indexOf('@');
      if (at <= 0) {
        throw usage("--peers entry '" + trimmed + "' is not NAME@HOST:PORT");
      }
      String member = trimmed.substring(0, at);
      if (!NAME.matcher(member).matches()) {
        throw usage("--peers name '" + member + "' must be letters, digits, '_' or '-'");
      }
      MemberAddress address;
      try {
        address = MemberAddress.parse(trimmed.substring(at + 1));
      } catch (IllegalArgumentException e) {
        throw usage("--peers entry '" + trimmed + "': " + e.getMessage());
      }
      if (members.put(member, address) != null) {
        throw usage("--peers lists " + member + " twice");
      }
      for (Map.Entry<String, MemberAddress> other : members.entrySet()) {
        if (!other.getKey().equals(member) && other.getValue().equals(address)) {
          throw usage("--peers gives " + other.getKey() + " and " + member + " the same address");
        }
      }
    }
    return members;
  }

  private static void port(String flag, int port) throws StartupException {
    if (port < 1 || port > 65_535) {
      throw usage(flag + " must be 1-65535, was " + port);
    }
  }

  private static StartupException usage(String message) {
    return new StartupException(StartupException.USAGE, message);
  }
}
