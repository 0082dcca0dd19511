package dev.keel.raft.testkit;

import dev.keel.raft.PeerTransport;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.protocol.RaftMessage;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.jspecify.annotations.Nullable;

/**
 * A simulated network between peers in one JVM. Every peer-to-peer message passes through it, so a
 * test can cut links (both or one direction), partition the group, and drop, delay or duplicate a
 * fraction of messages. Fault decisions draw from one seeded generator.
 *
 * <p>Thread-safe: peers and their replicators send from many threads.
 */
public final class InProcessNetwork {

  private final Map<String, ActorRef<RaftPeer.Command>> peers = new ConcurrentHashMap<>();
  // Directed links that deliver nothing: "from->to".
  private final Set<String> cut = ConcurrentHashMap.newKeySet();
  private final ActorSystem<?> system;
  private final SplittableRandom random;
  private final List<Consumer<Delivery>> observers = new CopyOnWriteArrayList<>();
  private volatile double dropRate;
  private volatile double duplicateRate;
  private volatile Duration maxDelay = Duration.ZERO;
  private volatile Predicate<Delivery> filter = delivery -> true;

  /**
   * One message on its way, as seen by observers.
   *
   * @param from sender
   * @param to receiver
   * @param message the message
   * @param delivered whether the network lets it through
   */
  public record Delivery(String from, String to, RaftMessage message, boolean delivered) {}

  /**
   * A network whose faults are drawn from {@code seed}.
   *
   * @param system schedules delayed deliveries
   */
  public InProcessNetwork(ActorSystem<?> system, long seed) {
    this.system = system;
    this.random = new SplittableRandom(seed);
  }

  /** Makes {@code peerId} reachable at {@code ref} (again, after a restart). */
  public void register(String peerId, ActorRef<RaftPeer.Command> ref) {
    peers.put(peerId, ref);
  }

  /** Makes {@code peerId} unreachable: messages to it vanish, as to a crashed node. */
  public void unregister(String peerId) {
    peers.remove(peerId);
  }

  /** The transport the peer named {@code self} sends through. */
  public PeerTransport transportFor(String self) {
    return new PeerTransport() {
      @Override
      public void send(String to, RaftMessage message) {
        deliver(self, to, message);
      }

      @Override
      public @Nullable ActorRef<RaftPeer.Command> resolve(String peerId) {
        return peers.get(peerId);
      }
    };
  }

  /** Calls {@code observer} for every message sent, delivered or not (from many threads). */
  public void observe(Consumer<Delivery> observer) {
    observers.add(observer);
  }

  /** Cuts both directions between {@code a} and {@code b}. */
  public void disconnect(String a, String b) {
    cutOneWay(a, b);
    cutOneWay(b, a);
  }

  /** Cuts only messages from {@code from} to {@code to} (an asymmetric fault). */
  public void cutOneWay(String from, String to) {
    cut.add(from + "->" + to);
  }

  /** Cuts every link between {@code peer} and the others. */
  public void isolate(String peer, Collection<String> all) {
    for (String other : all) {
      if (!other.equals(peer)) {
        disconnect(peer, other);
      }
    }
  }

  /** Splits the peers into groups that cannot reach each other. */
  @SafeVarargs
  public final void partition(Set<String>... groups) {
    for (int i = 0; i < groups.length; i++) {
      for (int j = 0; j < groups.length; j++) {
        if (i != j) {
          for (String a : groups[i]) {
            for (String b : groups[j]) {
              cutOneWay(a, b);
            }
          }
        }
      }
    }
  }

  /**
   * Delivers only the messages {@code accept} lets through, on top of the other faults; for
   * targeted faults such as "lose the second snapshot chunk". {@link #heal()} removes it.
   */
  public void setFilter(Predicate<Delivery> accept) {
    filter = Objects.requireNonNull(accept);
  }

  /** Restores every link and removes every message fault. */
  public void heal() {
    filter = delivery -> true;
    cut.clear();
    dropRate = 0;
    duplicateRate = 0;
    maxDelay = Duration.ZERO;
  }

  /** Drops each message with this probability. */
  public void setDropRate(double rate) {
    dropRate = checkRate(rate);
  }

  /** Delivers each message twice with this probability. */
  public void setDuplicateRate(double rate) {
    duplicateRate = checkRate(rate);
  }

  /** Delays each message by a random time up to {@code max}, which also reorders them. */
  public void setMaxDelay(Duration max) {
    maxDelay = Objects.requireNonNull(max);
  }

  /** Whether {@code from} can currently reach {@code to}. */
  public boolean connected(String from, String to) {
    return !cut.contains(from + "->" + to);
  }

  private static double checkRate(double rate) {
    if (rate < 0 || rate > 1) {
      throw new IllegalArgumentException("rate must be in [0, 1], was " + rate);
    }
    return rate;
  }

  private void deliver(String from, String to, RaftMessage message) {
    ActorRef<RaftPeer.Command> target = peers.get(to);
    boolean delivered =
        target != null
            && connected(from, to)
            && !chance(dropRate)
            && filter.test(new Delivery(from, to, message, true));
    for (Consumer<Delivery> observer : observers) {
      observer.accept(new Delivery(from, to, message, delivered));
    }
    if (!delivered || target == null) {
      return;
    }
    int copies = chance(duplicateRate) ? 2 : 1;
    for (int i = 0; i < copies; i++) {
      long delayMicros = delayMicros();
      if (delayMicros == 0) {
        target.tell(message);
      } else {
        system
            .scheduler()
            .scheduleOnce(
                Duration.of(delayMicros, ChronoUnit.MICROS),
                () -> target.tell(message),
                system.executionContext());
      }
    }
  }

  private boolean chance(double rate) {
    if (rate <= 0) {
      return false;
    }
    synchronized (random) {
      return random.nextDouble() < rate;
    }
  }

  private long delayMicros() {
    long max = TimeUnit.NANOSECONDS.toMicros(maxDelay.toNanos());
    if (max <= 0) {
      return 0;
    }
    synchronized (random) {
      return random.nextLong(max + 1);
    }
  }

  /** Names of the peers that can currently be reached. */
  public Set<String> registered() {
    return new HashSet<>(peers.keySet());
  }
}
