package dev.keel.raft.persistence.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.keel.raft.persistence.InMemoryRaftStorage;
import dev.keel.raft.persistence.RaftStorage;
import java.nio.file.Path;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Makes a peer's {@link RaftStorage} as the configuration says, so switching between durable and
 * in-memory storage is a setting, not a code change ({@code keel.persistence.storage}):
 *
 * <ul>
 *   <li>{@code rocksdb} (default): a {@link JournaledRaftStorage} on Keel's RocksDB journal and
 *       snapshot store in {@code ${keel.persistence.rocksdb.dir}/raft/<node>} — durable, fsync'd;
 *       the peers of every Raft group on a node share that directory and its fsyncs;
 *   <li>{@code journal-plugin}: a {@link JournaledRaftStorage} on the actor system's configured
 *       Pekko journal plugin ({@code pekko.persistence.journal.plugin}), any standard plugin;
 *   <li>{@code in-memory}: an {@link InMemoryRaftStorage} — nothing survives the JVM.
 * </ul>
 */
public final class RaftStorages {

  /** The setting that picks the kind of storage. */
  public static final String SETTING = "keel.persistence.storage";

  private RaftStorages() {}

  /**
   * The storage of peer {@code node} of Raft group {@code group}, as configured.
   *
   * @throws IllegalArgumentException naming the setting if its value is unknown
   */
  public static RaftStorage create(ActorSystem<?> system, String group, String node) {
    Config config = system.settings().config();
    String kind;
    try {
      kind = config.getString(SETTING);
    } catch (ConfigException e) {
      throw new IllegalArgumentException("invalid " + SETTING + ": " + e.getMessage(), e);
    }
    return switch (kind) {
      case "rocksdb" ->
          JournaledRaftStorage.builder(system, group, node)
              .rocksDb(Path.of(config.getString("keel.persistence.rocksdb.dir"), "raft", node))
              .build();
      case "journal-plugin" -> JournaledRaftStorage.create(system, group, node);
      case "in-memory" -> new InMemoryRaftStorage();
      default ->
          throw new IllegalArgumentException(
              SETTING + " must be one of rocksdb, journal-plugin, in-memory; was '" + kind + "'");
    };
  }
}
