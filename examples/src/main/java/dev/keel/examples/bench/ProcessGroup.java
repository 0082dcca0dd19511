package dev.keel.examples.bench;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import dev.keel.examples.remote.LocalProcessCluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The {@code loopback-tls} topology: three {@link BenchNode} processes on 127.0.0.1, connected by
 * Artery over mutual TLS (key material from {@link LocalProcessCluster}'s development CA), each
 * with its own data directory under one fresh directory that {@link #close()} deletes after
 * stopping every process it started. Each process runs with {@code -Xmx256m} unless {@code
 * bench.node-jvm-options} says otherwise ({@code {node}} in an option becomes the node's name, e.g.
 * for a flight recording per node).
 */
final class ProcessGroup implements SuiteGroup {

  private static final Duration READY = Duration.ofSeconds(90);

  private final Path root;
  private final StorageKind storage;
  private final List<String> names;
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  // Stops the processes and deletes the directory if the driver is stopped (SIGTERM from run.sh's
  // timeout, Ctrl-C) before close().
  private final Thread onExit = new Thread(this::close, "keel-bench-process-group-cleanup");

  /** One running process, its command pipe and its answers. */
  private record Node(Process process, Writer commands, BlockingQueue<String> answers) {}

  private ProcessGroup(Path root, StorageKind storage, List<String> names) {
    this.root = root;
    this.storage = storage;
    this.names = names;
  }

  static ProcessGroup start(StorageKind storage, Path dataDir) throws IOException {
    Path root = Files.createTempDirectory(Files.createDirectories(dataDir), "keel-suite-");
    LocalProcessCluster layout = LocalProcessCluster.create(root, 3, ConfigFactory.empty());
    ProcessGroup group = new ProcessGroup(root, storage, List.copyOf(layout.members().keySet()));
    Runtime.getRuntime().addShutdownHook(group.onExit);
    try {
      for (String name : group.names) {
        Files.writeString(
            group.configFile(name),
            ConfigFactory.parseMap(
                    Map.of(
                        "bench.storage", storage.label(),
                        "bench.data-dir", root.resolve("data").resolve(name).toString()))
                .withFallback(layout.memberConfig(name))
                .root()
                .render(ConfigRenderOptions.concise()),
            StandardCharsets.UTF_8);
      }
      for (String name : group.names) {
        group.launch(name);
      }
      for (String name : group.names) {
        group.awaitAnswer(name, READY);
      }
    } catch (IOException | RuntimeException e) {
      group.close();
      throw e;
    }
    return group;
  }

  @Override
  public StorageKind storage() {
    return storage;
  }

  @Override
  public List<String> agents() {
    return names;
  }

  @Override
  public String agentOf(String member) {
    return member;
  }

  @Override
  public String dataFileSystem() {
    return String.valueOf(BenchCluster.fileSystemOf(root));
  }

  @Override
  public synchronized String call(String agent, String command, Duration timeout)
      throws IOException {
    Node node = nodes.get(agent);
    if (node == null) {
      throw new IllegalStateException(agent + " is not running");
    }
    node.commands().write(command + "\n");
    node.commands().flush();
    return awaitAnswer(agent, timeout);
  }

  private String awaitAnswer(String agent, Duration timeout) throws IOException {
    Node node = nodes.get(agent);
    String answer = null;
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (node != null && answer == null && System.nanoTime() < deadline) {
        answer = node.answers().poll(200, TimeUnit.MILLISECONDS);
        if (answer == null && !node.process().isAlive()) {
          throw new IllegalStateException(agent + " exited:\n" + log(agent));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (answer == null) {
      throw new IllegalStateException(
          agent + " did not answer within " + timeout + ":\n" + log(agent));
    }
    if (answer.startsWith("{\"error\"")) {
      throw new IllegalStateException(agent + " failed: " + answer);
    }
    return answer;
  }

  /** Kills member {@code name}'s process with SIGKILL and waits until it is gone. */
  void kill(String name) throws InterruptedException {
    Node node;
    synchronized (this) {
      node = nodes.remove(name);
    }
    if (node != null) {
      node.process().destroyForcibly();
      node.process().waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** Starts member {@code name}'s process again on its data directory; waits until it is ready. */
  void restart(String name) throws IOException {
    launch(name);
    awaitAnswer(name, READY);
  }

  private void launch(String name) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String option :
        System.getProperty(
                "bench.node-jvm-options",
                "-Xmx256m -XX:+UseG1GC -Djava.util.concurrent.ForkJoinPool.common.parallelism=2")
            .trim()
            .split("\\s+")) {
      command.add(option.replace("{node}", name));
    }
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            BenchNode.class.getName(),
            configFile(name).toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> pump(process, name, answers), "bench-node-" + name);
    reader.setDaemon(true);
    reader.start();
    OutputStream stdin = process.getOutputStream();
    synchronized (this) {
      nodes.put(
          name, new Node(process, new PrintWriter(stdin, false, StandardCharsets.UTF_8), answers));
    }
  }

  /** Copies the process's output to its log file and its answers to the queue. */
  private void pump(Process process, String name, BlockingQueue<String> answers) {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer log =
            Files.newBufferedWriter(
                logFile(name),
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith(BenchNode.ANSWER)) {
          answers.add(line.substring(BenchNode.ANSWER.length()));
        } else {
          log.write(line);
          log.write('\n');
          log.flush();
        }
      }
    } catch (IOException e) {
      // the process is gone or the directory was deleted
    }
  }

  /** The last lines member {@code name}'s process logged. */
  String log(String name) {
    try {
      List<String> lines = Files.readAllLines(logFile(name), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private Path configFile(String name) {
    return root.resolve(name + "-bench.conf");
  }

  /** The node's log: in {@code bench.log-dir} if set (kept), else in the group's directory. */
  private Path logFile(String name) {
    String keep = System.getProperty("bench.log-dir");
    return keep == null || keep.isBlank()
        ? root.resolve(name + "-bench.log")
        : Path.of(keep).resolve(root.getFileName() + "-" + name + ".log");
  }

  /** Asks every process to exit, kills those that do not within 10 s, deletes the directory. */
  @Override
  public void close() {
    BenchCluster.removeShutdownHook(onExit);
    List<Node> running;
    synchronized (this) {
      running = List.copyOf(nodes.values());
      nodes.clear();
    }
    for (Node node : running) {
      try {
        node.commands().write("exit\n");
        node.commands().close();
      } catch (IOException e) {
        // already gone
      }
    }
    for (Node node : running) {
      try {
        if (!node.process().waitFor(10, TimeUnit.SECONDS)) {
          node.process().destroyForcibly();
          node.process().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        node.process().destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    if (Files.exists(root)) {
      BenchCluster.deleteRecursively(root);
    }
  }
}
