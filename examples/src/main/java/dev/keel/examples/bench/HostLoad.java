package dev.keel.examples.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A reading of this JVM's CPU time and the whole host's busy and total CPU time (Linux {@code
 * /proc/stat}), so a result can say how loaded the machine was while it was measured. On a shared
 * machine this is what tells a slow library from a busy neighbour.
 *
 * @param nanoTime when the reading was taken ({@link System#nanoTime()})
 * @param processCpuNanos CPU time this JVM has used, or -1 if unknown
 * @param hostBusyTicks busy CPU ticks of the whole host, or -1 if unknown
 * @param hostTotalTicks all CPU ticks of the whole host, or -1 if unknown
 */
record HostLoad(long nanoTime, long processCpuNanos, long hostBusyTicks, long hostTotalTicks) {

  private static final Path PROC_STAT = Path.of("/proc/stat");
  private static final Path PROC_LOADAVG = Path.of("/proc/loadavg");

  /** What happened between two readings, in cores (1.0 = one CPU busy all the time). */
  record Usage(double jvmCores, double hostBusyCores) {}

  static HostLoad sample() {
    long process = -1;
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      process = os.getProcessCpuTime();
    }
    long busy = -1;
    long total = -1;
    try {
      // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"
      String[] fields = Files.readAllLines(PROC_STAT).get(0).trim().split("\\s+");
      long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
      total = 0;
      for (int i = 1; i <= 8 && i < fields.length; i++) {
        total += Long.parseLong(fields[i]);
      }
      busy = total - idle;
    } catch (IOException | RuntimeException e) {
      // not Linux: host figures unknown
    }
    return new HostLoad(System.nanoTime(), process, busy, total);
  }

  /** The CPU used from this reading to {@code later}; negative figures mean unknown. */
  Usage until(HostLoad later) {
    double seconds = (later.nanoTime - nanoTime) / 1e9;
    double jvm =
        processCpuNanos < 0 ? -1 : (later.processCpuNanos - processCpuNanos) / 1e9 / seconds;
    long totalTicks = later.hostTotalTicks - hostTotalTicks;
    double host =
        hostTotalTicks < 0 || totalTicks <= 0
            ? -1
            : (double) (later.hostBusyTicks - hostBusyTicks)
                / totalTicks
                * Runtime.getRuntime().availableProcessors();
    return new Usage(jvm, host);
  }

  /** The host's 1-minute load average now, or -1 if unknown. */
  static double loadAverage() {
    try {
      List<String> lines = Files.readAllLines(PROC_LOADAVG);
      return Double.parseDouble(lines.get(0).split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
