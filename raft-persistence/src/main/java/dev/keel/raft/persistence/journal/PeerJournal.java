package dev.keel.raft.persistence.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.Props;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.AbstractPersistentActor;
import org.apache.pekko.persistence.DeleteMessagesFailure;
import org.apache.pekko.persistence.DeleteMessagesSuccess;
import org.apache.pekko.persistence.DeleteSnapshotsFailure;
import org.apache.pekko.persistence.DeleteSnapshotsSuccess;
import org.apache.pekko.persistence.RecoveryCompleted;
import org.apache.pekko.persistence.RuntimePluginConfig;
import org.apache.pekko.persistence.SaveSnapshotFailure;
import org.apache.pekko.persistence.SaveSnapshotSuccess;
import org.apache.pekko.persistence.SnapshotOffer;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * The event-sourced actor behind one incarnation of a {@link JournaledRaftStorage}: recovers the
 * peer's state from the latest Pekko snapshot and the events after it, then persists one batch at a
 * time as one atomic journal write and reports back to the {@link WritePipeline}. It never holds
 * more than one batch, so Pekko's stash stays empty.
 *
 * <p><b>Compaction.</b> After a batch holding a Raft snapshot ({@link JournalEvent.SnapshotSaved})
 * is durable and acknowledged, the actor saves its whole state as a {@link JournalSnapshot} to the
 * snapshot store and, once that is saved, deletes every event and older snapshot it covers. The
 * Raft snapshot's bytes are therefore written twice (in the event, then in the Pekko snapshot)
 * before the event is deleted: the event is what makes the write durable at once, the Pekko
 * snapshot is what lets the journal shrink. A crash between any of these steps leaves a journal
 * that recovers the same state: an unsaved Pekko snapshot means the events are still there, an
 * unfinished deletion only leaves events that recovery skips. A failed snapshot save or deletion is
 * logged and leaves the journal longer, never wrong.
 *
 * <p>This is a classic persistent actor, not an {@code EventSourcedBehavior}: the typed API cannot
 * delete events after a snapshot chosen by a predicate, only after every N events.
 */
final class PeerJournal extends AbstractPersistentActor implements RuntimePluginConfig {

  private static final Logger LOG = LoggerFactory.getLogger(PeerJournal.class);

  /** What the pipeline sends. */
  sealed interface Command permits Persist {}

  /**
   * Persists {@code events} as one atomic write; the pipeline hears {@code batchId} once durable.
   */
  record Persist(long batchId, List<JournalEvent> events) implements Command {}

  /**
   * Where and how a peer's journal lives.
   *
   * @param snapshotPluginId the snapshot store keeping the compacted state; empty for the system's
   *     default
   * @param saveSnapshots whether to save Pekko snapshots after Raft snapshots (false when no
   *     snapshot store is configured)
   * @param deleteEvents whether to delete the events and older snapshots a saved snapshot covers
   */
  record Setup(
      String persistenceId,
      String journalPluginId,
      Optional<Config> journalPluginConfig,
      String snapshotPluginId,
      Optional<Config> snapshotPluginConfig,
      boolean saveSnapshots,
      boolean deleteEvents,
      WritePipeline pipeline) {}

  private final Setup setup;
  private final long incarnation;
  private JournalState state;

  private PeerJournal(Setup setup, long incarnation) {
    this.setup = setup;
    this.incarnation = incarnation;
    this.state = new JournalState(setup.persistenceId());
  }

  // Pekko's persistent-actor base class asks for the plugin ids and configuration while it is
  // being constructed, before this class's fields are set: the setup is handed over here meanwhile.
  private static final ThreadLocal<Setup> CONSTRUCTING = new ThreadLocal<>();

  static Props props(Setup setup, long incarnation) {
    return Props.create(
        PeerJournal.class,
        () -> {
          CONSTRUCTING.set(setup);
          try {
            return new PeerJournal(setup, incarnation);
          } finally {
            CONSTRUCTING.remove();
          }
        });
  }

  /** The setup, also while the base class is still being constructed. */
  private Setup plugins() {
    Setup constructing = CONSTRUCTING.get();
    return constructing != null ? constructing : setup;
  }

  @Override
  public String persistenceId() {
    return plugins().persistenceId();
  }

  @Override
  public Receive createReceiveRecover() {
    return receiveBuilder()
        .match(
            SnapshotOffer.class,
            offer ->
                state = JournalState.restore(persistenceId(), (JournalSnapshot) offer.snapshot()))
        .match(JournalEvent.class, this::apply)
        .match(
            RecoveryCompleted.class,
            done -> setup.pipeline().recovered(incarnation, typedSelf(), state.recovered()))
        .build();
  }

  @Override
  public Receive createReceive() {
    return receiveBuilder()
        .match(Persist.class, this::onPersist)
        .match(SaveSnapshotSuccess.class, this::onSnapshotSaved)
        .match(
            SaveSnapshotFailure.class,
            failed ->
                LOG.warn(
                    "{}: could not save the compacted journal state; the journal keeps every"
                        + " event until the next Raft snapshot",
                    persistenceId(),
                    failed.cause()))
        .match(
            DeleteMessagesSuccess.class,
            deleted -> {
              LOG.debug(
                  "{}: deleted journal events up to {}", persistenceId(), deleted.toSequenceNr());
              setup.pipeline().compacted();
            })
        .match(
            DeleteMessagesFailure.class,
            failed ->
                LOG.warn(
                    "{}: could not delete journal events up to {}; recovery skips them anyway",
                    persistenceId(),
                    failed.toSequenceNr(),
                    failed.cause()))
        .match(DeleteSnapshotsSuccess.class, deleted -> {})
        .match(
            DeleteSnapshotsFailure.class,
            failed ->
                LOG.warn("{}: could not delete older snapshots", persistenceId(), failed.cause()))
        .build();
  }

  private void onPersist(Persist persist) {
    boolean snapshotAfter =
        setup.saveSnapshots()
            && persist.events().stream().anyMatch(JournalEvent.SnapshotSaved.class::isInstance);
    persistAll(persist.events(), this::apply);
    deferAsync(
        persist.batchId(),
        batchId -> {
          setup.pipeline().persisted(incarnation, batchId);
          if (snapshotAfter) {
            saveSnapshot(state.toSnapshot());
          }
        });
  }

  private void apply(JournalEvent event) {
    if (event instanceof JournalEvent.TermAndVoteChanged changed) {
      state.apply(changed);
    } else if (event instanceof JournalEvent.EntriesAppended appended) {
      state.apply(appended);
    } else if (event instanceof JournalEvent.SnapshotSaved saved) {
      state.apply(saved);
    }
  }

  private void onSnapshotSaved(SaveSnapshotSuccess saved) {
    if (!setup.deleteEvents()) {
      setup.pipeline().compacted();
      return;
    }
    long sequenceNr = saved.metadata().sequenceNr();
    deleteMessages(sequenceNr);
    deleteSnapshots(SnapshotSelectionCriteria.create(sequenceNr - 1, Long.MAX_VALUE));
  }

  @Override
  public void onRecoveryFailure(Throwable cause, Option<Object> event) {
    setup.pipeline().failed(incarnation, "Cannot recover the Raft state from the journal", cause);
    super.onRecoveryFailure(cause, event);
  }

  @Override
  public void onPersistFailure(Throwable cause, Object event, long sequenceNr) {
    setup.pipeline().failed(incarnation, "The journal write failed", cause);
    super.onPersistFailure(cause, event, sequenceNr);
  }

  @Override
  public void onPersistRejected(Throwable cause, Object event, long sequenceNr) {
    setup
        .pipeline()
        .failed(
            incarnation, "The journal rejected the write (is every command serializable?)", cause);
    super.onPersistRejected(cause, event, sequenceNr);
  }

  private ActorRef<Command> typedSelf() {
    return Adapter.toTyped(getSelf());
  }

  @Override
  public String journalPluginId() {
    return plugins().journalPluginId();
  }

  @Override
  public Config journalPluginConfig() {
    return plugins().journalPluginConfig().orElseGet(ConfigFactory::empty);
  }

  @Override
  public String snapshotPluginId() {
    return plugins().snapshotPluginId();
  }

  @Override
  public Config snapshotPluginConfig() {
    return plugins().snapshotPluginConfig().orElseGet(ConfigFactory::empty);
  }
}
