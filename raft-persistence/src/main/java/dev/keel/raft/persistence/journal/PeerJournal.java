package dev.keel.raft.persistence.journal;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.JournalPersistFailed;
import org.apache.pekko.persistence.typed.JournalPersistRejected;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.Recovery;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The event-sourced actor behind one incarnation of a {@link JournaledRaftStorage}: replays the
 * peer's events, then persists one batch at a time as one atomic journal write and reports back to
 * the {@link WritePipeline}. It never holds more than one batch, so Pekko's stash stays empty.
 */
final class PeerJournal
    extends EventSourcedBehavior<PeerJournal.Command, JournalEvent, JournalState> {

  /** What the pipeline sends. */
  sealed interface Command permits Persist {}

  /**
   * Persists {@code events} as one atomic write; the pipeline hears {@code batchId} once durable.
   */
  record Persist(long batchId, List<JournalEvent> events) implements Command {}

  /** Where and how a peer's journal lives. */
  record Setup(
      String persistenceId,
      String journalPluginId,
      Optional<Config> journalPluginConfig,
      WritePipeline pipeline) {}

  // No snapshots yet (TODO(#4)): this plugin id is Pekko's no-op snapshot store.
  private static final String NO_SNAPSHOT_STORE = "pekko.persistence.no-snapshot-store";

  private final ActorContext<Command> context;
  private final Setup setup;
  private final long incarnation;

  private PeerJournal(ActorContext<Command> context, Setup setup, long incarnation) {
    super(PersistenceId.ofUniqueId(setup.persistenceId()));
    this.context = context;
    this.setup = setup;
    this.incarnation = incarnation;
  }

  static Behavior<Command> create(Setup setup, long incarnation) {
    return Behaviors.setup(context -> new PeerJournal(context, setup, incarnation));
  }

  @Override
  public JournalState emptyState() {
    return new JournalState(setup.persistenceId());
  }

  @Override
  public CommandHandler<Command, JournalEvent, JournalState> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Persist.class, this::onPersist)
        .build();
  }

  private Effect<JournalEvent, JournalState> onPersist(Persist persist) {
    long batchId = persist.batchId();
    List<JournalEvent> events = persist.events();
    return (events.size() == 1 ? Effect().persist(events.get(0)) : Effect().persist(events))
        .thenRun(state -> setup.pipeline().persisted(incarnation, batchId));
  }

  @Override
  public EventHandler<JournalState, JournalEvent> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(JournalEvent.TermAndVoteChanged.class, JournalState::apply)
        .onEvent(JournalEvent.EntriesAppended.class, JournalState::apply)
        .onEvent(JournalEvent.SnapshotSaved.class, JournalState::apply)
        .build();
  }

  @Override
  public SignalHandler<JournalState> signalHandler() {
    WritePipeline pipeline = setup.pipeline();
    return newSignalHandlerBuilder()
        .onSignal(
            RecoveryCompleted.instance(),
            state -> pipeline.recovered(incarnation, context.getSelf(), state.takeRecovered()))
        .onSignal(
            RecoveryFailed.class,
            (state, failed) ->
                pipeline.failed(
                    incarnation,
                    "Cannot recover the Raft state from the journal",
                    failed.getFailure()))
        .onSignal(
            JournalPersistFailed.class,
            (state, failed) ->
                pipeline.failed(incarnation, "The journal write failed", failed.getFailure()))
        .onSignal(
            JournalPersistRejected.class,
            (state, rejected) ->
                pipeline.failed(
                    incarnation,
                    "The journal rejected the write (is every command serializable?)",
                    rejected.getFailure()))
        .build();
  }

  @Override
  public String journalPluginId() {
    return setup.journalPluginId();
  }

  @Override
  public Optional<Config> journalPluginConfig() {
    return setup.journalPluginConfig();
  }

  @Override
  public String snapshotPluginId() {
    return NO_SNAPSHOT_STORE;
  }

  @Override
  public Recovery recovery() {
    return Recovery.withSnapshotSelectionCriteria(SnapshotSelectionCriteria.none());
  }
}
