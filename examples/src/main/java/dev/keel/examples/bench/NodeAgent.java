package dev.keel.examples.bench;

import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftReply;
import dev.keel.raft.persistence.journal.JournaledRaftStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.jspecify.annotations.Nullable;

/**
 * The benchmark suite's agent in a JVM that runs peers: answers the driver's one-line commands with
 * one JSON line each. In the {@code loopback-tls} topology every node process has one agent for its
 * one peer (commands arrive on standard input, see {@link BenchNode}); in the {@code in-process}
 * topology one agent serves the three peers of the driver's own JVM.
 *
 * <p>Commands: {@code status} (which local peer leads), {@code load KIND MODE C} (start C clients
 * in this JVM), {@code mark} (start a window), {@code report} (the window's counters and, if a load
 * runs here, its throughput and latency), {@code stop} (stop the load), {@code memory} (heap after
 * a full GC, RSS), {@code failover KILLED T0} (probe the survivors until one commits a write).
 */
final class NodeAgent {

  private static final Duration ASK = Duration.ofSeconds(5);

  /** One peer running in this JVM, with the counters wrapped around its storage and transport. */
  record LocalPeer(
      ActorRef<RaftPeer.Command> ref,
      CountingStorage storage,
      @Nullable JournaledRaftStorage journal,
      CountingTransport transport) {}

  private final ActorSystem<?> system;
  private final Map<String, ActorRef<RaftPeer.Command>> members;
  private final List<LocalPeer> peers;
  private final NodeProbe probe = NodeProbe.start();
  private @Nullable LoadRunner load;
  private Counters marked = Counters.ZERO;
  private HostLoad markedHost = HostLoad.sample();

  NodeAgent(
      ActorSystem<?> system,
      Map<String, ActorRef<RaftPeer.Command>> members,
      List<LocalPeer> peers) {
    this.system = system;
    this.members = Map.copyOf(members);
    this.peers = List.copyOf(peers);
  }

  /** Carries out one command line and returns the JSON answer. */
  String handle(String line) throws Exception {
    String[] words = line.trim().split("\\s+");
    JsonLine answer =
        switch (words[0]) {
          case "status" -> status();
          case "load" -> startLoad(words);
          case "mark" -> mark();
          case "report" -> report();
          case "stop" -> stopLoad();
          case "memory" -> memory();
          case "failover" -> FailoverProbe.run(system, members, words[1], Long.parseLong(words[2]));
          default -> throw new IllegalArgumentException("unknown command: " + line);
        };
    return answer.toString();
  }

  private List<PeerStatus> statuses() throws Exception {
    List<PeerStatus> statuses = new ArrayList<>();
    for (LocalPeer peer : peers) {
      statuses.add(
          AskPattern.<RaftPeer.Command, PeerStatus>ask(
                  peer.ref(), RaftPeer.GetStatus::new, ASK, system.scheduler())
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS));
    }
    return statuses;
  }

  private JsonLine status() throws Exception {
    String leader = null;
    long applied = Long.MAX_VALUE;
    long commit = 0;
    for (PeerStatus status : statuses()) {
      if (status.role() == PeerStatus.Role.LEADER) {
        leader = status.name();
      }
      applied = Math.min(applied, status.lastApplied());
      commit = Math.max(commit, status.commitIndex());
    }
    return new JsonLine()
        .add("leader", leader)
        .add("min_applied", applied)
        .add("max_commit", commit);
  }

  private JsonLine startLoad(String[] words) throws Exception {
    if (load != null) {
      throw new IllegalStateException("a load already runs");
    }
    LoadRunner.Kind kind = LoadRunner.Kind.of(words[1]);
    LoadRunner.ClientMode mode = LoadRunner.ClientMode.of(words[2]);
    int clients = Integer.parseInt(words[3]);
    ActorRef<RaftPeer.Command> target = peers.get(0).ref();
    for (PeerStatus status : statuses()) {
      if (status.role() == PeerStatus.Role.LEADER) {
        target = members.getOrDefault(status.name(), target);
      }
    }
    load = LoadRunner.start(system, members, target, kind, mode, clients);
    return new JsonLine().add("started", clients);
  }

  private JsonLine mark() throws Exception {
    if (load != null) {
      load.mark();
    }
    probe.takeMaxHiccupMillis();
    marked = counters();
    markedHost = HostLoad.sample();
    return new JsonLine().add("marked", peers.size());
  }

  private JsonLine report() throws Exception {
    HostLoad now = HostLoad.sample();
    Counters window = counters().minus(marked);
    double seconds = (now.nanoTime() - markedHost.nanoTime()) / 1e9;
    HostLoad.Usage usage = markedHost.until(now);
    JsonLine json = new JsonLine();
    if (load != null) {
      json.addAll(load.window(seconds));
    }
    return json.add("window_s", seconds, 3)
        .add("entries", window.entries())
        .add("fsyncs", window.fsyncs())
        .add("journal_writes", window.journalWrites())
        .add("appends", window.appends())
        .add("append_entries", window.appendEntries())
        .add("sampled_appends", window.sampledAppends())
        .add("sampled_bytes", window.sampledBytes())
        .add("elections", window.elections())
        .add("gc_ms", window.gcMillis())
        .add("max_hiccup_ms", probe.takeMaxHiccupMillis(), 1)
        .add("jvm_cores", usage.jvmCores(), 2)
        .add("host_busy_cores", usage.hostBusyCores(), 2);
  }

  private JsonLine stopLoad() throws InterruptedException {
    if (load != null) {
      load.stop();
      load = null;
    }
    return new JsonLine().add("stopped", 1);
  }

  private static JsonLine memory() {
    return new JsonLine()
        .add("heap_after_gc_mib", NodeProbe.heapAfterGcMib(), 1)
        .add("rss_mib", NodeProbe.rssMib(), 1)
        .add("max_heap_mib", NodeProbe.maxHeapMib(), 0);
  }

  private Counters counters() throws Exception {
    Counters sum = Counters.ZERO;
    long elections = 0;
    for (PeerStatus status : statuses()) {
      elections += status.metrics().electionsStarted();
    }
    List<CountingStorage> counted = new ArrayList<>();
    List<JournaledRaftStorage> journals = new ArrayList<>();
    for (LocalPeer peer : peers) {
      counted.add(peer.storage());
      if (peer.journal() != null) {
        journals.add(peer.journal());
      }
      long[] sent = peer.transport().counts();
      sum = sum.plus(new Counters(0, 0, 0, sent[0], sent[1], sent[2], sent[3], 0, 0));
    }
    StorageCounters storage = StorageCounters.sum(counted, journals, system);
    return sum.plus(
        new Counters(
            storage.entriesAppended(),
            storage.fsyncs(),
            storage.journalWrites(),
            0,
            0,
            0,
            0,
            elections,
            NodeProbe.gcMillis()));
  }

  /** Counters of this JVM's peers; subtract two readings for a window. */
  private record Counters(
      long entries,
      long fsyncs,
      long journalWrites,
      long appends,
      long appendEntries,
      long sampledAppends,
      long sampledBytes,
      long elections,
      long gcMillis) {

    static final Counters ZERO = new Counters(0, 0, 0, 0, 0, 0, 0, 0, 0);

    Counters plus(Counters o) {
      return new Counters(
          entries + o.entries,
          fsyncs + o.fsyncs,
          journalWrites + o.journalWrites,
          appends + o.appends,
          appendEntries + o.appendEntries,
          sampledAppends + o.sampledAppends,
          sampledBytes + o.sampledBytes,
          elections + o.elections,
          gcMillis + o.gcMillis);
    }

    Counters minus(Counters o) {
      return new Counters(
          entries - o.entries,
          fsyncs - o.fsyncs,
          journalWrites - o.journalWrites,
          appends - o.appends,
          appendEntries - o.appendEntries,
          sampledAppends - o.sampledAppends,
          sampledBytes - o.sampledBytes,
          elections - o.elections,
          gcMillis - o.gcMillis);
    }
  }

  /**
   * Failover probe (DESIGN §6: leader killed under load → first write committed by the new leader):
   * from the moment the driver says the leader's process is gone, writes go straight to every
   * survivor every 10 ms, so the figure does not depend on a client's guess of the leader.
   */
  static final class FailoverProbe {

    private FailoverProbe() {}

    /**
     * Probes the members other than {@code killed}; times are measured from {@code killedAtNanos}
     * ({@link System#nanoTime()} of the driver: one monotonic clock for every process on Linux).
     */
    static JsonLine run(
        ActorSystem<?> system,
        Map<String, ActorRef<RaftPeer.Command>> members,
        String killed,
        long killedAtNanos)
        throws InterruptedException {
      AtomicLong elected = new AtomicLong();
      AtomicLong committed = new AtomicLong();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      byte[] command = BytesKvStateMachine.command(-1, LoadRunner.COMMAND_SIZE);
      while (committed.get() == 0 && System.nanoTime() < deadline) {
        for (Map.Entry<String, ActorRef<RaftPeer.Command>> member : members.entrySet()) {
          if (member.getKey().equals(killed)) {
            continue;
          }
          AskPattern.<RaftPeer.Command, PeerStatus>ask(
                  member.getValue(), RaftPeer.GetStatus::new, ASK, system.scheduler())
              .thenAccept(
                  s -> {
                    if (s.role() == PeerStatus.Role.LEADER) {
                      elected.compareAndSet(0, System.nanoTime());
                    }
                  });
          AskPattern.<RaftPeer.Command, RaftReply<Long>>ask(
                  member.getValue(),
                  replyTo -> new RaftPeer.Write<byte[], Long>(command, replyTo),
                  ASK,
                  system.scheduler())
              .thenAccept(
                  reply -> {
                    if (reply.isOk()) {
                      committed.compareAndSet(0, System.nanoTime());
                    }
                  });
        }
        TimeUnit.MILLISECONDS.sleep(10);
      }
      long electedAt =
          elected.get() == 0 ? committed.get() : Math.min(elected.get(), committed.get());
      return new JsonLine()
          .add("election_ms", committed.get() == 0 ? -1 : (electedAt - killedAtNanos) / 1e6, 1)
          .add(
              "failover_ms",
              committed.get() == 0 ? -1 : (committed.get() - killedAtNanos) / 1e6,
              1);
    }
  }
}
