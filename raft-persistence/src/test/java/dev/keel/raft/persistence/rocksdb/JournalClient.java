package dev.keel.raft.persistence.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.DeleteMessagesSuccess;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.PersistentEnvelope;
import org.apache.pekko.persistence.PersistentRepr;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Talks Pekko's journal protocol to a journal plugin actor directly, as a persistent actor does:
 * the contract tests see exactly what the plugin answers.
 */
final class JournalClient {

  static final String WRITER = "test-writer";

  private final ActorRef journal;
  private final TestProbe<Object> probe;
  private final ActorRef replyTo;

  JournalClient(ActorTestKit kit, String pluginId) {
    this.journal =
        Persistence.get(kit.system().classicSystem()).journalFor(pluginId, ConfigFactory.empty());
    this.probe = kit.createTestProbe();
    this.replyTo = Adapter.toClassic(probe.ref());
  }

  /** The outcome of one replay. */
  record Replay(List<PersistentRepr> events, long highestSequenceNr) {
    List<Object> payloads() {
      return events.stream().map(PersistentRepr::payload).toList();
    }

    List<Long> sequenceNrs() {
      return events.stream().map(PersistentRepr::sequenceNr).toList();
    }
  }

  static PersistentRepr event(String persistenceId, long sequenceNr, Object payload) {
    return PersistentRepr.apply(
        payload, sequenceNr, persistenceId, "", false, ActorRef.noSender(), WRITER);
  }

  static AtomicWrite atomic(PersistentRepr... events) {
    return AtomicWrite.apply(CollectionConverters.asScala(List.of(events)).toList());
  }

  /** Writes events {@code from..to} with payloads "e{n}", each its own atomic write. */
  void writeRange(String persistenceId, long from, long to) {
    List<AtomicWrite> writes = new ArrayList<>();
    for (long n = from; n <= to; n++) {
      writes.add(atomic(event(persistenceId, n, "e" + n)));
    }
    List<Object> results = write(writes.toArray(AtomicWrite[]::new));
    assertThat(results).allMatch(JournalProtocol.WriteMessageSuccess.class::isInstance);
  }

  /**
   * Sends one {@code WriteMessages} with {@code writes}; returns the per-event results ({@code
   * WriteMessageSuccess} or {@code WriteMessageRejected}) after {@code WriteMessagesSuccessful}.
   */
  List<Object> write(AtomicWrite... writes) {
    List<PersistentEnvelope> envelopes = List.of(writes);
    journal.tell(
        new JournalProtocol.WriteMessages(
            CollectionConverters.asScala(envelopes).toList(), replyTo, 1),
        ActorRef.noSender());
    probe.expectMessage(TestSystems.TIMEOUT, JournalProtocol.WriteMessagesSuccessful$.MODULE$);
    int events = 0;
    for (AtomicWrite write : writes) {
      events += write.size();
    }
    List<Object> results = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      results.add(probe.receiveMessage(TestSystems.TIMEOUT));
    }
    return results;
  }

  /** Replays and expects success. */
  Replay replay(String persistenceId, long from, long to, long max) {
    journal.tell(
        new JournalProtocol.ReplayMessages(from, to, max, persistenceId, replyTo),
        ActorRef.noSender());
    List<PersistentRepr> events = new ArrayList<>();
    while (true) {
      Object message = probe.receiveMessage(TestSystems.TIMEOUT);
      if (message instanceof JournalProtocol.ReplayedMessage replayed) {
        events.add(replayed.persistent());
      } else if (message instanceof JournalProtocol.RecoverySuccess success) {
        return new Replay(events, success.highestSequenceNr());
      } else {
        throw new AssertionError("Replay did not succeed: " + message);
      }
    }
  }

  /** Replays and expects failure; returns its cause. */
  Throwable failingReplay(String persistenceId) {
    journal.tell(
        new JournalProtocol.ReplayMessages(
            1, Long.MAX_VALUE, Long.MAX_VALUE, persistenceId, replyTo),
        ActorRef.noSender());
    while (true) {
      Object message = probe.receiveMessage(TestSystems.TIMEOUT);
      if (message instanceof JournalProtocol.ReplayMessagesFailure failure) {
        return failure.cause();
      } else if (!(message instanceof JournalProtocol.ReplayedMessage)) {
        throw new AssertionError("Replay did not fail: " + message);
      }
    }
  }

  /** Deletes up to {@code toSequenceNr} and expects success. */
  void deleteTo(String persistenceId, long toSequenceNr) {
    journal.tell(
        new JournalProtocol.DeleteMessagesTo(persistenceId, toSequenceNr, replyTo),
        ActorRef.noSender());
    Object reply = probe.receiveMessage(TestSystems.TIMEOUT);
    assertThat(reply).isInstanceOf(DeleteMessagesSuccess.class);
  }
}
