package dev.keel.examples.remote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Named JVM processes on this machine, each writing to its own log file: started with this JVM's
 * class path, awaited until they print a line, stopped with SIGTERM or killed with SIGKILL. Only
 * the processes started here are ever signalled, by their process handle. For tests and benchmarks.
 */
public final class NodeProcesses implements AutoCloseable {

  private final Path logDir;
  private final Map<String, Process> processes = new HashMap<>();

  /** Processes whose logs go to {@code logDir/NAME.log}. */
  public NodeProcesses(Path logDir) {
    this.logDir = logDir;
  }

  /**
   * Starts {@code mainClass} as process {@code name} with this JVM's class path.
   *
   * @param jvmOptions e.g. heap size and {@code -D} settings
   */
  public void start(String name, List<String> jvmOptions, String mainClass, List<String> args)
      throws IOException {
    Path log = log(name);
    Files.createDirectories(logDir);
    Files.deleteIfExists(log);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Djava.util.concurrent.ForkJoinPool.common.parallelism=2");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    synchronized (this) {
      processes.put(name, process);
    }
  }

  /**
   * Waits until process {@code name} has printed {@code line} (as part of any line).
   *
   * @throws IllegalStateException if it exits first or does not print it within {@code timeout}
   */
  public void awaitOutput(String name, String line, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!output(name).contains(line)) {
      Process process = process(name);
      if (process == null || !process.isAlive()) {
        throw new IllegalStateException(
            name + " exited before printing '" + line + "':\n" + output(name));
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(name + " did not print '" + line + "' within " + timeout);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
  }

  /** Kills process {@code name} with SIGKILL ({@code kill -9}) and waits until it is gone. */
  public void kill(String name) throws InterruptedException {
    Process process = remove(name);
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Stops process {@code name} with SIGTERM and waits for it to exit; kills it if it does not exit
   * within {@code timeout}.
   *
   * @return its exit code, or -1 if it had to be killed (or was not running)
   */
  public int stop(String name, Duration timeout) throws InterruptedException {
    Process process = remove(name);
    if (process == null) {
      return -1;
    }
    process.destroy();
    if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      return process.exitValue();
    }
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    return -1;
  }

  /** The process id of process {@code name}, or -1 if it is not running. */
  public synchronized long pid(String name) {
    Process process = processes.get(name);
    return process == null || !process.isAlive() ? -1 : process.pid();
  }

  /** What process {@code name} printed (its log file). */
  public String output(String name) throws IOException {
    Path log = log(name);
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  /** Kills every process started here that still runs (all of them, even when interrupted). */
  @Override
  public void close() {
    List<String> names;
    synchronized (this) {
      names = List.copyOf(processes.keySet());
    }
    boolean interrupted = false;
    for (String name : names) {
      try {
        kill(name);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized @Nullable Process process(String name) {
    return processes.get(name);
  }

  private synchronized @Nullable Process remove(String name) {
    return processes.remove(name);
  }

  private Path log(String name) {
    return logDir.resolve(name + ".log");
  }
}
