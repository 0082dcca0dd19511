package dev.keel.raft.persistence.rocksdb;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;

/**
 * Plugin ids of Keel's RocksDB plugins and configuration for extra instances.
 *
 * <p>Pekko keeps one plugin actor per plugin id, so two peers in one actor system need two plugin
 * ids to get two directories. Give each peer's {@code EventSourcedBehavior} its own id and the
 * configuration from here:
 *
 * <pre>{@code
 * String id = "keel.persistence.journal.rocksdb-n1";
 * public String journalPluginId() { return id; }
 * public Optional<Config> journalPluginConfig() {
 *   return Optional.of(RocksDbPlugins.journalConfig(systemConfig, id, Path.of("data/n1/journal")));
 * }
 * }</pre>
 */
public final class RocksDbPlugins {

  /** The default journal plugin id; its settings are the template for extra instances. */
  public static final String JOURNAL_PLUGIN_ID = "keel.persistence.journal.rocksdb";

  /** The default snapshot-store plugin id; its settings are the template for extra instances. */
  public static final String SNAPSHOT_STORE_PLUGIN_ID = "keel.persistence.snapshot-store.rocksdb";

  private RocksDbPlugins() {}

  /**
   * Configuration defining journal plugin {@code pluginId} as a copy of {@value #JOURNAL_PLUGIN_ID}
   * (as configured in {@code systemConfig}) storing in {@code dir}; pass it as the behavior's
   * {@code journalPluginConfig()}.
   *
   * @param systemConfig the actor system's configuration
   * @param pluginId the new plugin id (a configuration path)
   * @param dir the directory of the new instance
   * @return configuration with the plugin's section at {@code pluginId}
   */
  public static Config journalConfig(Config systemConfig, String pluginId, Path dir) {
    return instanceConfig(systemConfig, JOURNAL_PLUGIN_ID, pluginId, dir);
  }

  /**
   * Configuration defining snapshot-store plugin {@code pluginId} as a copy of {@value
   * #SNAPSHOT_STORE_PLUGIN_ID} storing in {@code dir}; pass it as the behavior's {@code
   * snapshotPluginConfig()}.
   *
   * @param systemConfig the actor system's configuration
   * @param pluginId the new plugin id (a configuration path)
   * @param dir the directory of the new instance
   * @return configuration with the plugin's section at {@code pluginId}
   */
  public static Config snapshotStoreConfig(Config systemConfig, String pluginId, Path dir) {
    return instanceConfig(systemConfig, SNAPSHOT_STORE_PLUGIN_ID, pluginId, dir);
  }

  private static Config instanceConfig(
      Config systemConfig, String templateId, String pluginId, Path dir) {
    if (pluginId.isBlank()) {
      throw new IllegalArgumentException("pluginId must not be blank");
    }
    return systemConfig
        .getConfig(templateId)
        .withValue("dir", ConfigValueFactory.fromAnyRef(dir.toAbsolutePath().toString()))
        .atPath(pluginId);
  }
}
