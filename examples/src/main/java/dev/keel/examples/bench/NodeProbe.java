package dev.keel.examples.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * What a benchmark reports about the JVM it runs in: heap after a full GC, resident set size, GC
 * time, and the longest scheduling hiccup — how late a thread that sleeps {@value #TICK_MS} ms at a
 * time woke up. A hiccup longer than the heartbeat interval is a gap in heartbeats that a GC pause
 * or CPU starvation caused, and what could make a follower start an election.
 */
final class NodeProbe {

  private static final long TICK_MS = 5;

  private final AtomicLong maxHiccupNanos = new AtomicLong();

  private NodeProbe() {}

  /** Starts the hiccup meter on a daemon thread. */
  static NodeProbe start() {
    NodeProbe probe = new NodeProbe();
    Thread thread = new Thread(probe::measureHiccups, "bench-hiccup-meter");
    thread.setDaemon(true);
    thread.start();
    return probe;
  }

  private void measureHiccups() {
    long tick = TimeUnit.MILLISECONDS.toNanos(TICK_MS);
    while (true) {
      long before = System.nanoTime();
      LockSupport.parkNanos(tick);
      long late = System.nanoTime() - before - tick;
      maxHiccupNanos.accumulateAndGet(late, Math::max);
    }
  }

  /** The longest hiccup since the last call, in milliseconds; starts a new period. */
  double takeMaxHiccupMillis() {
    return maxHiccupNanos.getAndSet(0) / 1e6;
  }

  /** Milliseconds all collectors of this JVM have spent collecting so far. */
  static long gcMillis() {
    long total = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }

  /** Runs a full GC and returns the heap then in use, in MiB. */
  static double heapAfterGcMib() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
  }

  /** The largest heap this JVM may use ({@code -Xmx}), in MiB. */
  static double maxHeapMib() {
    return Runtime.getRuntime().maxMemory() / 1048576.0;
  }

  /** This process's resident set size in MiB (Linux {@code /proc/self/status}), or -1. */
  static double rssMib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }
}
