package dev.keel.raft.persistence.rocksdb;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;

/**
 * Per-ActorSystem registry of the RocksDB journal plugins' counters, by plugin id. A running
 * journal reports live counters; a stopped one keeps reporting its final counters until another
 * journal with the same plugin id starts.
 *
 * <pre>{@code
 * JournalStatistics stats =
 *     RocksDbStatistics.get(system).journal("keel.persistence.journal.rocksdb").orElseThrow();
 * double groupCommitFactor = stats.eventsPerBatch();
 * }</pre>
 */
public final class RocksDbStatistics implements Extension {

  private static final Id ID = new Id();

  private final ConcurrentMap<String, Supplier<JournalStatistics>> journals =
      new ConcurrentHashMap<>();

  private RocksDbStatistics() {}

  /**
   * The registry of {@code system}.
   *
   * @param system a classic or typed actor system
   * @return the system's registry
   */
  public static RocksDbStatistics get(ClassicActorSystemProvider system) {
    return ID.get(system);
  }

  /**
   * The counters of the journal plugin with id {@code pluginId}.
   *
   * @param pluginId the plugin's configuration path, e.g. {@code keel.persistence.journal.rocksdb}
   * @return its counters, or empty if no such journal has started in this system
   */
  public Optional<JournalStatistics> journal(String pluginId) {
    Supplier<JournalStatistics> source = journals.get(pluginId);
    return source == null ? Optional.empty() : Optional.of(source.get());
  }

  void register(String pluginId, Supplier<JournalStatistics> source) {
    journals.put(pluginId, source);
  }

  private static final class Id extends AbstractExtensionId<RocksDbStatistics> {
    @Override
    public RocksDbStatistics createExtension(ExtendedActorSystem system) {
      return new RocksDbStatistics();
    }
  }
}
