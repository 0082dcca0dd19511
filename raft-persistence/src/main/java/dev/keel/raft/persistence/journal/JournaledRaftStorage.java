package dev.keel.raft.persistence.journal;

import com.typesafe.config.Config;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.RaftStorage;
import dev.keel.raft.persistence.RecoveredState;
import dev.keel.raft.persistence.StoredSnapshot;
import dev.keel.raft.persistence.TermAndVote;
import dev.keel.raft.persistence.rocksdb.RocksDbPlugins;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RaftStorage} that keeps a peer's term, vote and log as the events of a Pekko Persistence
 * event-sourced actor, with group commit. Durable as the journal plugin is: with Keel's RocksDB
 * journal every confirmed write was fsynced.
 *
 * <pre>{@code
 * RaftStorage storage =
 *     JournaledRaftStorage.builder(system, "orders", "n1").rocksDb(Path.of("data/n1")).build();
 * }</pre>
 *
 * <p><b>Persistence id</b> {@code keel-raft|<group>|<node>}; the journal plugin is the system's
 * default ({@code pekko.persistence.journal.plugin}) unless the builder names one. Raft log indexes
 * live in the events, independent of journal sequence numbers.
 *
 * <p><b>Group commit.</b> Writes issued while a journal write is in flight are combined into the
 * next single journal write (one atomic write of at most one {@code TermAndVoteChanged} and one
 * {@code EntriesAppended}, so one fsync), up to {@code
 * keel.persistence.journaled-storage.max-batch-entries} entries. At most one journal write is in
 * flight per peer. Pekko's command stash is never used for this: the queue lives here.
 *
 * <p><b>Compaction.</b> A Raft snapshot is written as an event first (durable at once); then the
 * journal actor saves its whole state (term, vote, Raft snapshot, the short log tail after it) to
 * the snapshot store and deletes every event and older snapshot that state covers, so the journal
 * does not grow with the log and recovery reads the latest snapshot plus the events after it. The
 * snapshot store is the one {@link Builder#rocksDb(Path)} or {@link Builder#snapshotStore(String)}
 * set, else the system's default; with no snapshot store at all the journal keeps every event.
 *
 * <p><b>Ordering and failure.</b> Stages complete in issue order, one at a time, on the journal
 * actor's thread or the caller's (so callbacks must not block). A failed journal write, an event
 * the journal rejects, or the journal actor stopping fails that write and every later one with a
 * {@link JournaledStorageException}; further writes fail at once until {@link #recover()} is called
 * again. An invalid write (decreasing term, log gap) fails alone with an {@link
 * IllegalArgumentException} and is not issued. User commands arrive as bytes the leader already
 * serialized, so every entry can be written.
 *
 * <p><b>Incarnations.</b> Every {@link #recover()} starts a new journal actor that replays the
 * journal, after stopping the previous one; writes still pending from before fail (they may or may
 * not be durable). So one storage object serves a peer that crashes and restarts, and recovery
 * always shows what the journal really holds. {@link #close()} stops the journal actor.
 * Thread-safe.
 */
public final class JournaledRaftStorage implements RaftStorage {

  /** The sub-directory of {@link Builder#rocksDb(Path)}'s directory holding the journal. */
  public static final String JOURNAL_DIR = "journal";

  /** The sub-directory of {@link Builder#rocksDb(Path)}'s directory holding the snapshot store. */
  public static final String SNAPSHOT_DIR = "snapshots";

  /** The configuration section of this storage's defaults. */
  public static final String CONFIG_PATH = "keel.persistence.journaled-storage";

  private static final AtomicLong INSTANCES = new AtomicLong();
  private static final String DEFAULT_SNAPSHOT_STORE = "pekko.persistence.snapshot-store.plugin";
  private static final String NO_SNAPSHOT_STORE = "pekko.persistence.no-snapshot-store";

  private final String persistenceId;
  private final String journalPluginId;
  private final WritePipeline pipeline;

  private JournaledRaftStorage(Builder builder) {
    this.persistenceId = persistenceId(builder.group, builder.node);
    this.journalPluginId = builder.journalPluginId;
    Config config = builder.system.settings().config();
    int maxBatchEntries =
        builder.maxBatchEntries > 0 ? builder.maxBatchEntries : configuredMaxBatchEntries(config);
    this.pipeline = new WritePipeline(persistenceId, journalPluginId, maxBatchEntries);
    String snapshotPluginId = builder.snapshotPluginId;
    boolean saveSnapshots = true;
    if (snapshotPluginId == null) {
      // Pekko's default snapshot store, if the application configured one; else no compaction.
      saveSnapshots = !config.getString(DEFAULT_SNAPSHOT_STORE).isEmpty();
      snapshotPluginId = saveSnapshots ? "" : NO_SNAPSHOT_STORE;
    }
    boolean deleteEvents =
        builder.deleteEventsOnSnapshot != null
            ? builder.deleteEventsOnSnapshot
            : config.getBoolean(CONFIG_PATH + ".delete-events-on-snapshot");
    PeerJournal.Setup setup =
        new PeerJournal.Setup(
            persistenceId,
            journalPluginId,
            Optional.ofNullable(builder.journalPluginConfig),
            snapshotPluginId,
            Optional.ofNullable(builder.snapshotPluginConfig),
            saveSnapshots,
            deleteEvents,
            pipeline);
    String name =
        "keel-journal-"
            + (builder.group + "-" + builder.node).replaceAll("[^A-Za-z0-9_-]", "_")
            + "-"
            + INSTANCES.incrementAndGet();
    pipeline.attach(builder.system.systemActorOf(JournalKeeper.create(setup), name, Props.empty()));
  }

  /**
   * A storage for peer {@code node} of Raft group {@code group} on the system's default journal.
   *
   * @param system the actor system running the journal actor and plugin
   * @param group the Raft group's name
   * @param node the peer's stable name
   * @return the storage; call {@link #recover()} first
   */
  public static JournaledRaftStorage create(ActorSystem<?> system, String group, String node) {
    return builder(system, group, node).build();
  }

  /**
   * Starts describing a storage for peer {@code node} of Raft group {@code group}.
   *
   * @param system the actor system running the journal actor and plugin
   * @param group the Raft group's name; must not contain {@code |}
   * @param node the peer's stable name; must not contain {@code |}
   * @return a builder
   */
  public static Builder builder(ActorSystem<?> system, String group, String node) {
    return new Builder(system, group, node);
  }

  /**
   * The persistence id of a peer's journal: {@code keel-raft|<group>|<node>}.
   *
   * @param group the Raft group's name
   * @param node the peer's name
   * @return the persistence id
   */
  public static String persistenceId(String group, String node) {
    for (String part : List.of(group, node)) {
      if (part.isBlank() || part.indexOf('|') >= 0) {
        throw new IllegalArgumentException(
            "group and node names must be non-blank and free of '|': '" + part + "'");
      }
    }
    return "keel-raft|" + group + "|" + node;
  }

  /** This peer's persistence id, {@code keel-raft|<group>|<node>}. */
  public String persistenceId() {
    return persistenceId;
  }

  /** The journal plugin id; empty for the system's default journal. */
  public String journalPluginId() {
    return journalPluginId;
  }

  /** Counters since this object was created; {@link Statistics} tells how well writes batch. */
  public Statistics statistics() {
    return pipeline.statistics();
  }

  /**
   * Starts a new journal actor (stopping the previous one, failing its pending writes) and replays
   * the journal.
   *
   * @return the durable state, or a failed stage with a {@link JournaledStorageException} naming
   *     the persistence id if the journal cannot be read
   */
  @Override
  public CompletionStage<RecoveredState> recover() {
    return pipeline.recover();
  }

  @Override
  public CompletionStage<Void> saveTermAndVote(TermAndVote termAndVote) {
    return pipeline.submit(new StorageWrite.SaveTermAndVote(termAndVote));
  }

  @Override
  public CompletionStage<Void> appendEntries(List<LogEntry> entries) {
    return pipeline.submit(new StorageWrite.Append(entries));
  }

  @Override
  public CompletionStage<Void> saveSnapshot(StoredSnapshot snapshot, boolean keepLaterEntries) {
    return pipeline.submit(new StorageWrite.SaveSnapshot(snapshot, keepLaterEntries));
  }

  /** Stops the journal actor; writes not yet confirmed fail (they may or may not be durable). */
  @Override
  public void close() {
    pipeline.close();
  }

  /**
   * Write counters of one storage.
   *
   * @param writesIssued writes accepted (valid, queued for the journal)
   * @param writesDurable writes confirmed durable
   * @param journalWrites journal writes (atomic persists; one fsync each with RocksDB) that
   *     confirmed them
   * @param compactions completed compactions: a snapshot of the journal actor's state saved and
   *     (unless deleting events is off) the events it covers deleted
   */
  public record Statistics(
      long writesIssued, long writesDurable, long journalWrites, long compactions) {

    /**
     * The group commit factor.
     *
     * @return durable writes per journal write, 0 before the first
     */
    public double writesPerJournalWrite() {
      return journalWrites == 0 ? 0 : (double) writesDurable / journalWrites;
    }
  }

  /** Describes a {@link JournaledRaftStorage}. */
  public static final class Builder {
    private final ActorSystem<?> system;
    private final String group;
    private final String node;
    private String journalPluginId = "";
    private @Nullable Config journalPluginConfig;
    // Null: the system's default snapshot store if one is configured.
    private @Nullable String snapshotPluginId;
    private @Nullable Config snapshotPluginConfig;
    private @Nullable Boolean deleteEventsOnSnapshot;
    private int maxBatchEntries;

    private Builder(ActorSystem<?> system, String group, String node) {
      persistenceId(group, node); // validates the names
      this.system = system;
      this.group = group;
      this.node = node;
    }

    /**
     * Uses journal plugin {@code pluginId}, configured in the actor system's configuration.
     *
     * @param pluginId a journal plugin's configuration path
     * @return this builder
     */
    public Builder journalPlugin(String pluginId) {
      this.journalPluginId = pluginId;
      this.journalPluginConfig = null;
      return this;
    }

    /**
     * Uses journal plugin {@code pluginId} with its configuration given here (Pekko's {@code
     * journalPluginConfig}); Pekko keeps one plugin actor per id in a system.
     *
     * @param pluginId the plugin id
     * @param pluginConfig configuration holding the plugin's section at {@code pluginId}
     * @return this builder
     */
    public Builder journalPlugin(String pluginId, Config pluginConfig) {
      this.journalPluginId = pluginId;
      this.journalPluginConfig = pluginConfig;
      return this;
    }

    /**
     * Keeps the compacted state (see the class documentation) in snapshot-store plugin {@code
     * pluginId}, configured in the actor system's configuration. Without this, the system's default
     * snapshot store ({@code pekko.persistence.snapshot-store.plugin}) is used, and if there is
     * none the journal is not compacted: it keeps every event.
     *
     * @param pluginId a snapshot-store plugin's configuration path
     * @return this builder
     */
    public Builder snapshotStore(String pluginId) {
      this.snapshotPluginId = pluginId;
      this.snapshotPluginConfig = null;
      return this;
    }

    /**
     * Like {@link #snapshotStore(String)}, with the plugin's configuration given here.
     *
     * @param pluginId the plugin id
     * @param pluginConfig configuration holding the plugin's section at {@code pluginId}
     * @return this builder
     */
    public Builder snapshotStore(String pluginId, Config pluginConfig) {
      this.snapshotPluginId = pluginId;
      this.snapshotPluginConfig = pluginConfig;
      return this;
    }

    /**
     * Stores in Keel's RocksDB journal in {@code dir/journal} and snapshot store in {@code
     * dir/snapshots}: plugin instances of their own per directory (ids derived from the absolute
     * path), configured like {@value RocksDbPlugins#JOURNAL_PLUGIN_ID} and {@value
     * RocksDbPlugins#SNAPSHOT_STORE_PLUGIN_ID}. Storages given the same directory (the peers of
     * several Raft groups on one node) share the instances, so their writes share each fsync.
     *
     * @param dir the storage's directory
     * @return this builder
     */
    public Builder rocksDb(Path dir) {
      Path absolute = dir.toAbsolutePath().normalize();
      String suffix = "-" + shortHash(absolute.toString());
      Config config = system.settings().config();
      String journalId = RocksDbPlugins.JOURNAL_PLUGIN_ID + suffix;
      String snapshotsId = RocksDbPlugins.SNAPSHOT_STORE_PLUGIN_ID + suffix;
      journalPlugin(
          journalId,
          RocksDbPlugins.journalConfig(config, journalId, absolute.resolve(JOURNAL_DIR)));
      return snapshotStore(
          snapshotsId,
          RocksDbPlugins.snapshotStoreConfig(config, snapshotsId, absolute.resolve(SNAPSHOT_DIR)));
    }

    /**
     * Whether the events (and older snapshots) a saved snapshot of the journal actor's state covers
     * are deleted; default {@code keel.persistence.journaled-storage.delete-events-on-snapshot}
     * (on). Off keeps the whole history in the journal, for audits, while recovery still starts
     * from the latest snapshot.
     *
     * @param delete whether to delete covered events
     * @return this builder
     */
    public Builder deleteEventsOnSnapshot(boolean delete) {
      this.deleteEventsOnSnapshot = delete;
      return this;
    }

    /**
     * At most this many log entries per journal write (a single larger append still goes alone);
     * default {@code keel.persistence.journaled-storage.max-batch-entries}.
     *
     * @param entries a positive limit
     * @return this builder
     */
    public Builder maxBatchEntries(int entries) {
      if (entries < 1) {
        throw new IllegalArgumentException("maxBatchEntries must be >= 1, was " + entries);
      }
      this.maxBatchEntries = entries;
      return this;
    }

    /**
     * Creates the storage and its (idle) journal keeper actor.
     *
     * @return the storage; call {@link JournaledRaftStorage#recover()} first
     */
    public JournaledRaftStorage build() {
      return new JournaledRaftStorage(this);
    }
  }

  private static int configuredMaxBatchEntries(Config config) {
    String path = CONFIG_PATH + ".max-batch-entries";
    int value = config.getInt(path);
    if (value < 1) {
      throw new IllegalArgumentException(path + " must be >= 1, was " + value);
    }
    return value;
  }

  private static String shortHash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
