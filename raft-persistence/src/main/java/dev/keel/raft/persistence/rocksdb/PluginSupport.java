package dev.keel.raft.persistence.rocksdb;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.serialization.Serialization;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import scala.concurrent.Future;
import scala.concurrent.Promise;
import scala.util.Try;

/** Settings and store opening shared by the journal and the snapshot store plugins. */
final class PluginSupport {

  private PluginSupport() {}

  /**
   * Deserializes a record whose checksum was valid; failing that is a clear storage error, not a
   * silent skip.
   *
   * @param what "event" or "snapshot", for the message
   */
  static <T> T deserialize(
      Serialization serialization,
      byte[] payload,
      Class<T> type,
      Path directory,
      String what,
      String persistenceId,
      long sequenceNr) {
    Try<T> value = serialization.deserialize(payload, type);
    if (value.isFailure()) {
      Throwable cause = value.failed().get();
      throw new RocksDbStorageException(
          directory,
          "Cannot deserialize the "
              + what
              + " of persistenceId ["
              + persistenceId
              + "], sequenceNr ["
              + sequenceNr
              + "] (its checksum is valid): "
              + cause,
          cause);
    }
    return value.get();
  }

  /** The absolute store directory from the plugin's {@code dir} setting. */
  static Path directory(Config config, String configPath) {
    String dir = string(config, configPath, "dir");
    if (dir.isBlank()) {
      throw invalid(configPath, "dir", "must name a directory", null);
    }
    try {
      return Path.of(dir).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw invalid(configPath, "dir", "is not a valid path: " + e.getMessage(), e);
    }
  }

  /** A string setting; errors name the full setting path. */
  static String string(Config config, String configPath, String key) {
    try {
      return config.getString(key);
    } catch (ConfigException e) {
      throw invalid(configPath, key, String.valueOf(e.getMessage()), e);
    }
  }

  /** A positive size-in-bytes setting. */
  static long positiveBytes(Config config, String configPath, String key) {
    try {
      long value = config.getBytes(key);
      if (value <= 0) {
        throw invalid(configPath, key, "must be positive", null);
      }
      return value;
    } catch (ConfigException e) {
      throw invalid(configPath, key, String.valueOf(e.getMessage()), e);
    }
  }

  /** A positive duration setting. */
  static Duration positiveDuration(Config config, String configPath, String key) {
    try {
      Duration value = config.getDuration(key);
      if (value.isNegative() || value.isZero()) {
        throw invalid(configPath, key, "must be positive", null);
      }
      return value;
    } catch (ConfigException e) {
      throw invalid(configPath, key, String.valueOf(e.getMessage()), e);
    }
  }

  private static IllegalArgumentException invalid(
      String configPath, String key, String problem, @Nullable Throwable cause) {
    return new IllegalArgumentException(
        "Invalid setting [" + configPath + "." + key + "]: " + problem, cause);
  }

  /**
   * Converts a Java future to a Scala one, failing with the original exception rather than the
   * {@link CompletionException} that dependent Java stages wrap it in, so that Pekko reports (and a
   * persistent actor's {@code RecoveryFailed} carries) e.g. the {@link CorruptRecordException}
   * itself.
   */
  static <T> Future<T> toScala(CompletionStage<T> stage) {
    Promise<T> promise = Futures.promise();
    stage.whenComplete(
        (value, failure) -> {
          if (failure == null) {
            promise.success(value);
          } else {
            promise.failure(unwrap(failure));
          }
        });
    return promise.future();
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** A store, or why it could not be opened; exactly one of the two is set. */
  record Opened(@Nullable RocksDbStore store, @Nullable RocksDbStorageException failure) {

    /** The open store; throws the opening failure if there is none. */
    RocksDbStore require() {
      if (store != null) {
        return store;
      }
      throw failure != null ? failure : new IllegalStateException("no store and no failure");
    }
  }

  /**
   * Opens a store; a failure is logged once and kept, so that every later request fails with the
   * same clear error instead of the plugin actor dying (which would only surface as timeouts).
   */
  static Opened open(Path directory, RocksDbStore.Kind kind, String configPath, Logger log) {
    try {
      RocksDbStore store = RocksDbStore.open(directory, kind);
      log.info("Plugin [{}] opened {} store in {}", configPath, kind, store.directory());
      return new Opened(store, null);
    } catch (RocksDbStorageException e) {
      log.error("Plugin [{}] cannot open its store; every request will fail", configPath, e);
      return new Opened(null, e);
    }
  }
}
