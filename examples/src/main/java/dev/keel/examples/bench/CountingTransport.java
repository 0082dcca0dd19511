package dev.keel.examples.bench;

import dev.keel.raft.PeerTransport;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.protocol.RaftMessage;
import java.io.NotSerializableException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * A {@link PeerTransport} that counts the AppendEntries requests carrying entries that its peer
 * sends, and the entries in them, and measures the serialized size of one in {@value #SAMPLE_EVERY}
 * (the bytes Artery puts in a frame, before its own envelope header). Everything is passed on
 * unchanged.
 */
final class CountingTransport implements PeerTransport {

  private static final int SAMPLE_EVERY = 16;

  private final PeerTransport delegate;
  private final Serializer serializer;
  private final LongAdder appends = new LongAdder();
  private final LongAdder entries = new LongAdder();
  private final LongAdder sampledAppends = new LongAdder();
  private final LongAdder sampledBytes = new LongAdder();
  private final AtomicLong sequence = new AtomicLong();

  CountingTransport(PeerTransport delegate, ActorSystem<?> system) {
    this.delegate = delegate;
    try {
      this.serializer =
          SerializationExtension.get(Adapter.toClassic(system))
              .serializerFor(RaftMessage.AppendEntries.class);
    } catch (NotSerializableException e) {
      throw new IllegalStateException("AppendEntries has no serializer", e);
    }
  }

  @Override
  public void send(String to, RaftMessage message) {
    if (message instanceof RaftMessage.AppendEntries append && !append.entries().isEmpty()) {
      appends.increment();
      entries.add(append.entries().size());
      if (sequence.incrementAndGet() % SAMPLE_EVERY == 0) {
        sampledBytes.add(serializer.toBinary(append).length);
        sampledAppends.increment();
      }
    }
    delegate.send(to, message);
  }

  @Override
  public @Nullable ActorRef<RaftPeer.Command> resolve(String peerId) {
    return delegate.resolve(peerId);
  }

  /** {appends with entries, entries in them, sampled appends, bytes of the sampled appends}. */
  long[] counts() {
    return new long[] {appends.sum(), entries.sum(), sampledAppends.sum(), sampledBytes.sum()};
  }
}
