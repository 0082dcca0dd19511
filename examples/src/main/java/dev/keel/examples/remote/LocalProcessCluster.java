package dev.keel.examples.remote;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import dev.keel.raft.remote.MemberAddress;
import dev.keel.raft.tls.ClusterCa;
import dev.keel.raft.tls.NodeKeyMaterial;
import dev.keel.raft.tls.PemFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Keel cluster of {@link KvNode} processes on loopback, for tests and benchmarks: makes a
 * development CA and key material for every node (and for a client), picks free ports, writes each
 * node's configuration file, and starts, kills ({@code kill -9}) and restarts the processes, each
 * on its own data directory under the cluster's directory. {@link #close()} kills every process it
 * started.
 */
public final class LocalProcessCluster implements AutoCloseable {

  /** The client's name: it has key material, but is not a member. */
  public static final String CLIENT = "client";

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private final Path dir;
  private final Map<String, MemberAddress> members = new LinkedHashMap<>();
  private final MemberAddress clientAddress;
  private final Config extra;
  private final NodeProcesses processes;

  private LocalProcessCluster(Path dir, int size, Config extra) throws IOException {
    this.dir = dir;
    this.extra = extra;
    this.processes = new NodeProcesses(dir);
    List<Integer> ports = freePorts(size + 1);
    ClusterCa ca = ClusterCa.generate("keel-local-ca", Duration.ofDays(2));
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      names.add("n" + i);
      members.put("n" + i, new MemberAddress("127.0.0.1", ports.get(i - 1)));
    }
    clientAddress = new MemberAddress("127.0.0.1", ports.get(size));
    names.add(CLIENT);
    for (String name : names) {
      NodeKeyMaterial material = ca.issue(name, List.of("127.0.0.1"), Duration.ofDays(1));
      material.writePem(tls(name).resolve("node.key"), tls(name).resolve("node.crt"));
      PemFiles.writeCertificates(tls(name).resolve("ca.crt"), List.of(ca.certificate()));
    }
    for (String member : members.keySet()) {
      Files.writeString(
          configFile(member),
          nodeConfig(member, members)
              .withFallback(
                  ConfigFactory.parseMap(
                      Map.of(
                          "keel.persistence.rocksdb.dir",
                          dir.resolve("data").resolve(member).toString())))
              .withFallback(extra)
              .root()
              .render(ConfigRenderOptions.concise().setFormatted(true)),
          StandardCharsets.UTF_8);
    }
  }

  /**
   * Makes the key material and configuration of {@code size} members n1..n{size} under {@code dir};
   * starts nothing.
   *
   * @param extra settings for every node (e.g. {@code keel.raft} timeouts)
   */
  public static LocalProcessCluster create(Path dir, int size, Config extra) throws IOException {
    return new LocalProcessCluster(dir, size, extra);
  }

  /** The members' names and addresses. */
  public Map<String, MemberAddress> members() {
    return Map.copyOf(members);
  }

  /**
   * The configuration of a client actor system (not a member) with its own key material: start it
   * with {@code NodeSettings.fromConfig(c).actorSystemConfig(c)}.
   */
  public Config clientConfig() {
    return nodeConfig(CLIENT, Map.of(CLIENT, clientAddress))
        .withFallback(extra)
        .withFallback(ConfigFactory.load());
  }

  /**
   * The full configuration of member {@code name}, as its process reads it: to run the member in
   * this JVM instead ({@link KvNode#start} or an actor system of one's own).
   */
  public Config memberConfig(String name) {
    return ConfigFactory.parseFile(configFile(name).toFile())
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  /** Starts member {@code name}'s process and waits until it reports ready. */
  public void start(String name) throws IOException {
    startAll(List.of(name));
  }

  /** Starts the members' processes together and waits until all report ready. */
  public void startAll(List<String> names) throws IOException {
    for (String name : names) {
      processes.start(
          name,
          List.of("-Xmx256m", "-XX:+UseSerialGC"),
          KvNode.class.getName(),
          List.of(configFile(name).toString()));
    }
    for (String name : names) {
      processes.awaitOutput(name, KvNode.READY + " " + name, READY_TIMEOUT);
    }
  }

  /**
   * Kills member {@code name}'s process with SIGKILL ({@code kill -9}) and waits until it is gone.
   */
  public void kill(String name) throws InterruptedException {
    processes.kill(name);
  }

  /** The process id of member {@code name}, or -1 if it is not running. */
  public long pid(String name) {
    return processes.pid(name);
  }

  /** What member {@code name}'s process printed (its log file). */
  public String output(String name) throws IOException {
    return processes.output(name);
  }

  /** Kills every process this cluster started (all of them, even when interrupted). */
  @Override
  public void close() {
    processes.close();
  }

  private Config nodeConfig(String name, Map<String, MemberAddress> of) {
    Map<String, Object> node = new HashMap<>();
    node.put("keel.node.name", name);
    of.forEach((member, address) -> node.put("keel.node.members." + member, address.toString()));
    node.put("keel.node.tls.key-file", tls(name).resolve("node.key").toString());
    node.put("keel.node.tls.cert-file", tls(name).resolve("node.crt").toString());
    node.put("keel.node.tls.ca-file", tls(name).resolve("ca.crt").toString());
    return ConfigFactory.parseMap(node);
  }

  private Path tls(String name) {
    return dir.resolve("tls").resolve(name);
  }

  private Path configFile(String name) {
    return dir.resolve(name + ".conf");
  }

  /** Ports the OS says are free on loopback now. */
  public static List<Integer> freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException e) {
          // a listening socket we own closes
        }
      }
    }
  }
}
