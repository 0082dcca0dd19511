package dev.keel.examples.kv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.examples.remote.LocalProcessCluster;
import dev.keel.raft.testkit.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/kv-store/run.sh} as a user runs it: it starts three nodes and a leader is
 * elected, {@code kv put} and {@code kv get} work through the {@code kv} script, Ctrl-C (SIGINT)
 * stops every node. (That a second run recovers the data is left to {@code KvStoreClusterTest},
 * which restarts nodes on their data directories: three more JVMs would double this test's time.)
 * The cluster runs on free ephemeral ports ({@code KV_RAFT_PORTS}, {@code KV_HTTP_PORTS}) rather
 * than run.sh's defaults, so a developer's run.sh or another checkout's build on the same machine
 * does not collide with it. The scripts use this JVM's class path ({@code KEEL_KV_CLASSPATH})
 * instead of building; only processes this test started are ever signalled.
 */
class RunScriptTest {

  private static final Duration START = Duration.ofSeconds(180);
  private static final Pattern STARTED = Pattern.compile("started (n\\d) \\(pid (\\d+)\\)");

  @TempDir Path demo;

  private final Path root = Path.of("").toAbsolutePath().getParent();
  private final List<Integer> ports = LocalProcessCluster.freePorts(6);
  private final String nodes =
      ports.subList(3, 6).stream()
          .map(port -> "http://127.0.0.1:" + port)
          .collect(Collectors.joining(","));

  @Test
  void runShServesKvAndCtrlCStopsEveryNode() throws Exception {
    Script script = new Script(demo.resolve("run.log"));
    try {
      script.awaitOutput("the cluster is up");
      assertThat(script.output())
          .contains("examples/kv-store/kv put greeting hello --nodes " + nodes);
      assertThat(kv("put", "greeting", "hello")).isEqualTo("OK\n");
      assertThat(kv("get", "greeting")).isEqualTo("hello\n");
      script.awaitOutput(" leader ");
      script.interruptAndAwaitStop();
    } finally {
      script.killWhatRemains();
    }
  }

  /** One run of run.sh, its output in {@code log}. */
  private final class Script {
    private final Path log;
    private final Process process;

    Script(Path log) throws IOException {
      this.log = log;
      ProcessBuilder builder =
          new ProcessBuilder("bash", root.resolve("examples/kv-store/run.sh").toString())
              .directory(root.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      environment(builder.environment());
      builder.environment().put("KV_STATUS_EVERY", "1s");
      process = builder.start();
    }

    void awaitOutput(String text) {
      Await.until(
          "run.sh prints '" + text + "'",
          START,
          () -> {
            String output = output();
            if (!process.isAlive() && !output.contains(text)) {
              throw new AssertionError(
                  "run.sh exited with " + process.exitValue() + ":\n" + output);
            }
            return output.contains(text);
          });
    }

    /** Ctrl-C: SIGINT to run.sh; it stops the nodes with SIGTERM and exits 0. */
    void interruptAndAwaitStop() throws Exception {
      List<Long> nodes = nodePids();
      assertThat(nodes).hasSize(3);
      Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("run.sh stops within 90 s").isTrue();
      String output = output();
      assertThat(process.exitValue()).as(output).isZero();
      for (String name : List.of("n1", "n2", "n3")) {
        assertThat(output).contains(name + " stopped (exit 0)");
      }
      for (long pid : nodes) {
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
            .as("node process %d", pid)
            .isFalse();
      }
    }

    /** Kills run.sh and whatever it started that still runs (after a failure). */
    void killWhatRemains() {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      for (long pid : nodePids()) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }

    private List<Long> nodePids() {
      List<Long> pids = new ArrayList<>();
      Matcher matcher = STARTED.matcher(output());
      while (matcher.find()) {
        pids.add(Long.parseLong(matcher.group(2)));
      }
      return pids;
    }

    private String output() {
      try {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Runs the {@code kv} script; returns its output, asserting success. */
  private String kv(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("bash", root.resolve("examples/kv-store/kv").toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--nodes", nodes));
    ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
    environment(builder.environment());
    Process process = builder.redirectErrorStream(true).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("kv %s: %s", List.of(args), output).isZero();
    return output;
  }

  private void environment(Map<String, String> environment) {
    environment.put("KEEL_KV_CLASSPATH", System.getProperty("java.class.path"));
    environment.put("KV_DEMO_DIR", demo.resolve("demo").toString());
    environment.put("JAVA_HOME", System.getProperty("java.home"));
    environment.put("KV_RAFT_PORTS", join(ports.subList(0, 3)));
    environment.put("KV_HTTP_PORTS", join(ports.subList(3, 6)));
  }

  private static String join(List<Integer> ports) {
    return ports.stream().map(String::valueOf).collect(Collectors.joining(","));
  }
}
