package dev.keel.raft.persistence.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.japi.AsyncWriteJournal;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;
import scala.jdk.javaapi.FutureConverters;

/**
 * A journal plugin for tests: keeps events in memory (per plugin id, so they outlive an actor
 * system), serializes every payload for real through Pekko serialization, and lets a test fail,
 * hold, count and corrupt writes through {@link #control(String)}.
 */
public final class FaultyJournal extends AsyncWriteJournal {

  private static final ConcurrentMap<String, Control> CONTROLS = new ConcurrentHashMap<>();

  /** What a test controls and observes of one plugin id. */
  public static final class Control {
    private final Map<String, TreeMap<Long, Stored>> events = new ConcurrentHashMap<>();
    private int failNext;
    private int rejectNext;
    private boolean holding;
    private final List<Runnable> held = new ArrayList<>();
    private int writeRequests;
    private int atomicWrites;

    /** The next {@code count} write requests fail (the journal reports a write failure). */
    public synchronized void failNextWrites(int count) {
      failNext = count;
    }

    /** The next {@code count} atomic writes are rejected (as a serializer failure would be). */
    public synchronized void rejectNextWrites(int count) {
      rejectNext = count;
    }

    private synchronized boolean takeRejection() {
      if (rejectNext > 0) {
        rejectNext--;
        return true;
      }
      return false;
    }

    /** Write requests from now on wait until {@link #release()}. */
    public synchronized void hold() {
      holding = true;
    }

    /** Completes the held write requests and stops holding. */
    public void release() {
      List<Runnable> toRun;
      synchronized (this) {
        holding = false;
        toRun = new ArrayList<>(held);
        held.clear();
      }
      toRun.forEach(Runnable::run);
    }

    /** Waits (bounded) until at least {@code count} write requests are held. */
    public synchronized void awaitHeld(int count, java.time.Duration timeout)
        throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (held.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(held.size() + " of " + count + " writes held after " + timeout);
        }
        wait(Math.max(1, left / 1_000_000));
      }
    }

    /** Atomic writes received (one per {@code persist}, however many events it carries). */
    public synchronized int atomicWrites() {
      return atomicWrites;
    }

    /** Replaces the stored bytes of one event with garbage. */
    public void corrupt(String persistenceId, long sequenceNr) {
      TreeMap<Long, Stored> stored = events.get(persistenceId);
      synchronized (stored) {
        Stored event = stored.get(sequenceNr);
        stored.put(
            sequenceNr,
            new Stored(event.repr(), event.serializerId(), event.manifest(), new byte[] {1, 2, 3}));
      }
    }

    private synchronized Runnable admit(int atomic, Runnable write, Runnable fail) {
      writeRequests++;
      atomicWrites += atomic;
      Runnable action = failNext > 0 ? fail : write;
      if (failNext > 0) {
        failNext--;
      }
      if (holding) {
        held.add(action);
        notifyAll();
        return () -> {};
      }
      return action;
    }

    TreeMap<Long, Stored> events(String persistenceId) {
      return events.computeIfAbsent(persistenceId, id -> new TreeMap<>());
    }
  }

  record Stored(PersistentRepr repr, int serializerId, String manifest, byte[] bytes) {}

  private final Control control;
  private final Serialization serialization;

  /**
   * Created by Pekko.
   *
   * @param config the plugin's configuration
   * @param configPath the plugin id
   */
  public FaultyJournal(Config config, String configPath) {
    this.control = control(configPath);
    this.serialization = SerializationExtension.get(context().system());
  }

  /** The control of plugin id {@code pluginId}. */
  public static Control control(String pluginId) {
    return CONTROLS.computeIfAbsent(pluginId, id -> new Control());
  }

  /** Configuration defining plugin {@code pluginId} as a faulty journal. */
  public static Config config(String pluginId) {
    return ConfigFactory.parseMap(Map.of(pluginId + ".class", FaultyJournal.class.getName()));
  }

  @Override
  public Future<Iterable<Optional<Exception>>> doAsyncWriteMessages(
      Iterable<AtomicWrite> messages) {
    List<Optional<Exception>> results = new ArrayList<>();
    List<Stored> encoded = new ArrayList<>();
    int atomic = 0;
    for (AtomicWrite write : messages) {
      atomic++;
      try {
        if (control.takeRejection()) {
          throw new IllegalArgumentException("injected journal rejection");
        }
        List<Stored> events = new ArrayList<>();
        for (PersistentRepr repr : CollectionConverters.asJava(write.payload())) {
          events.add(encode(repr));
        }
        encoded.addAll(events);
        results.add(Optional.empty());
      } catch (Exception e) { // serializers may throw checked exceptions undeclared
        results.add(Optional.of(e));
      }
    }
    CompletableFuture<Iterable<Optional<Exception>>> done = new CompletableFuture<>();
    control
        .admit(
            atomic,
            () -> {
              for (Stored event : encoded) {
                TreeMap<Long, Stored> stored = control.events(event.repr().persistenceId());
                synchronized (stored) {
                  stored.put(event.repr().sequenceNr(), event);
                }
              }
              done.complete(results);
            },
            () -> done.completeExceptionally(new IOException("injected journal write failure")))
        .run();
    return FutureConverters.asScala(done);
  }

  private Stored encode(PersistentRepr repr) {
    Object payload = repr.payload();
    Serializer serializer = serialization.findSerializerFor(payload);
    return new Stored(
        repr.withPayload(""),
        serializer.identifier(),
        Serializers.manifestFor(serializer, payload),
        serializer.toBinary(payload));
  }

  @Override
  public Future<Void> doAsyncDeleteMessagesTo(String persistenceId, long toSequenceNr) {
    TreeMap<Long, Stored> stored = control.events(persistenceId);
    synchronized (stored) {
      stored.headMap(toSequenceNr, true).clear();
    }
    return Futures.successful(null);
  }

  @Override
  public Future<Void> doAsyncReplayMessages(
      String persistenceId,
      long fromSequenceNr,
      long toSequenceNr,
      long max,
      Consumer<PersistentRepr> replayCallback) {
    List<Stored> range;
    TreeMap<Long, Stored> stored = control.events(persistenceId);
    synchronized (stored) {
      range = new ArrayList<>(stored.subMap(fromSequenceNr, true, toSequenceNr, true).values());
    }
    long count = 0;
    for (Stored event : range) {
      if (count++ >= max) {
        break;
      }
      scala.util.Try<Object> payload =
          serialization.deserialize(event.bytes(), event.serializerId(), event.manifest());
      if (payload.isFailure()) {
        return Futures.failed(payload.failed().get());
      }
      replayCallback.accept(event.repr().withPayload(payload.get()));
    }
    return Futures.successful(null);
  }

  @Override
  public Future<Long> doAsyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
    TreeMap<Long, Stored> stored = control.events(persistenceId);
    synchronized (stored) {
      return Futures.successful(stored.isEmpty() ? 0L : stored.lastKey());
    }
  }
}
