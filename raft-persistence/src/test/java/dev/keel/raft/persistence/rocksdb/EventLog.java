package dev.keel.raft.persistence.rocksdb;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * A test event-sourced log of strings: state is the events joined by commas. Reports recovery to a
 * probe: {@link Recovered} on success, the {@link RecoveryFailed} signal on failure.
 */
final class EventLog extends EventSourcedBehavior<EventLog.Command, String, String> {

  /** Commands. */
  sealed interface Command permits Append, Get {}

  /** Persists {@code events} in one {@code persist} call; replies the last sequence number. */
  record Append(List<String> events, ActorRef<Long> replyTo) implements Command {}

  /** Replies the state. */
  record Get(ActorRef<String> replyTo) implements Command {}

  /** Recovery failed (the {@code RecoveryFailed} signal, which a probe cannot receive). */
  record RecoveryFailedWith(Throwable failure) {}

  /** Recovery finished with this state and sequence number. */
  record Recovered(String persistenceId, String state, long lastSequenceNr) {}

  /** Which plugins a log uses and how it snapshots. */
  record Setup(
      String persistenceId,
      String journalPluginId,
      Optional<Config> journalPluginConfig,
      String snapshotPluginId,
      Optional<Config> snapshotPluginConfig,
      int snapshotEvery) {

    /** The default Keel plugins, no snapshots. */
    static Setup of(String persistenceId) {
      return new Setup(
          persistenceId,
          RocksDbPlugins.JOURNAL_PLUGIN_ID,
          Optional.empty(),
          RocksDbPlugins.SNAPSHOT_STORE_PLUGIN_ID,
          Optional.empty(),
          0);
    }

    Setup withJournal(String pluginId, Config config) {
      return new Setup(
          persistenceId,
          pluginId,
          Optional.of(config),
          snapshotPluginId,
          snapshotPluginConfig,
          snapshotEvery);
    }

    Setup withSnapshotEvery(int events) {
      return new Setup(
          persistenceId,
          journalPluginId,
          journalPluginConfig,
          snapshotPluginId,
          snapshotPluginConfig,
          events);
    }
  }

  private final ActorContext<Command> context;
  private final Setup setup;
  private final ActorRef<Object> monitor;

  private EventLog(ActorContext<Command> context, Setup setup, ActorRef<Object> monitor) {
    super(PersistenceId.ofUniqueId(setup.persistenceId()));
    this.context = context;
    this.setup = setup;
    this.monitor = monitor;
  }

  static Behavior<Command> create(Setup setup, ActorRef<Object> monitor) {
    return Behaviors.setup(context -> new EventLog(context, setup, monitor));
  }

  @Override
  public String emptyState() {
    return "";
  }

  @Override
  public CommandHandler<Command, String, String> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(
            Append.class,
            append ->
                Effect()
                    .persist(append.events())
                    .thenReply(append.replyTo(), state -> lastSequenceNumber(context)))
        .onCommand(Get.class, (state, get) -> Effect().reply(get.replyTo(), state))
        .build();
  }

  @Override
  public EventHandler<String, String> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onAnyEvent((state, event) -> state.isEmpty() ? event : state + "," + event);
  }

  @Override
  public SignalHandler<String> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            RecoveryCompleted.instance(),
            state ->
                monitor.tell(
                    new Recovered(setup.persistenceId(), state, lastSequenceNumber(context))))
        .onSignal(
            RecoveryFailed.class,
            (state, failed) -> monitor.tell(new RecoveryFailedWith(failed.getFailure())))
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
    return setup.snapshotPluginId();
  }

  @Override
  public Optional<Config> snapshotPluginConfig() {
    return setup.snapshotPluginConfig();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return setup.snapshotEvery() > 0
        ? RetentionCriteria.snapshotEvery(setup.snapshotEvery(), 1).withDeleteEventsOnSnapshot()
        : RetentionCriteria.disabled();
  }
}
