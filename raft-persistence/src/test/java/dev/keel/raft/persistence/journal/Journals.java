package dev.keel.raft.persistence.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.RecoveredState;
import dev.keel.raft.persistence.TestCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;

/** Shared helpers of the journaled-storage tests. */
final class Journals {

  static final Duration TIMEOUT = Duration.ofSeconds(30);
  static final String GROUP = "test-group";

  private static final AtomicInteger PLUGINS = new AtomicInteger();

  private Journals() {}

  /** A fresh actor system with the test configuration plus {@code extra}. */
  static ActorTestKit kit(Config extra) {
    return ActorTestKit.create(extra.withFallback(ConfigFactory.load()));
  }

  static ActorTestKit kit() {
    return kit(ConfigFactory.empty());
  }

  /** A storage of peer {@code node} on a RocksDB journal in {@code dir}. */
  static JournaledRaftStorage onRocksDb(ActorTestKit kit, Path dir, String node) {
    return JournaledRaftStorage.builder(kit.system(), GROUP, node).rocksDb(dir).build();
  }

  /** A new, unique faulty-journal plugin id. */
  static String faultyPluginId() {
    return "test.faulty-journal-" + PLUGINS.incrementAndGet();
  }

  /** A storage of peer {@code node} on faulty journal {@code pluginId}. */
  static JournaledRaftStorage onFaulty(ActorTestKit kit, String pluginId, String node) {
    return JournaledRaftStorage.builder(kit.system(), GROUP, node)
        .journalPlugin(pluginId, FaultyJournal.config(pluginId))
        .build();
  }

  /** Waits (bounded) for {@code stage} and returns its value. */
  static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } catch (ExecutionException e) {
      throw new AssertionError("stage failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("stage did not complete within " + TIMEOUT, e);
    }
  }

  /** Waits (bounded) until {@code storage} has completed {@code count} journal compactions. */
  static void awaitCompactions(ActorTestKit kit, JournaledRaftStorage storage, long count) {
    kit.createTestProbe()
        .awaitAssert(
            TIMEOUT,
            () -> {
              assertThat(storage.statistics().compactions()).isGreaterThanOrEqualTo(count);
              return null;
            });
  }

  /** Recovers {@code storage} and returns the state. */
  static RecoveredState recover(JournaledRaftStorage storage) {
    return await(storage.recover());
  }

  /** Entries {@code from..to} of {@code term}, each carrying the command "c{index}t{term}". */
  static List<LogEntry> entries(long from, long to, long term) {
    List<LogEntry> entries = new ArrayList<>();
    for (long index = from; index <= to; index++) {
      entries.add(entry(index, term));
    }
    return entries;
  }

  static LogEntry entry(long index, long term) {
    return new LogEntry(index, term, TestCommands.text("c" + index + "t" + term));
  }

  /**
   * Asserts that {@code log} is exactly {@code expected}, comparing indexes, terms and payloads.
   */
  static void assertLog(List<LogEntry> log, List<LogEntry> expected) {
    assertThat(log).hasSize(expected.size());
    assertThat(log).containsExactlyElementsOf(expected);
  }

  /** The innermost-first chain of causes, for message checks. */
  static String causes(Throwable failure) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      text.append(t).append('\n');
    }
    return text.toString();
  }
}
