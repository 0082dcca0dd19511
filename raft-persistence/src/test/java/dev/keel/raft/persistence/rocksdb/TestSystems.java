package dev.keel.raft.persistence.rocksdb;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;

/** Actor systems whose default RocksDB plugins store under a test directory. */
final class TestSystems {

  static final Duration TIMEOUT = Duration.ofSeconds(15);

  private TestSystems() {}

  static Config config(Path root) {
    return ConfigFactory.parseMap(
            Map.of(
                "keel.persistence.journal.rocksdb.dir", root.resolve("journal").toString(),
                "keel.persistence.snapshot-store.rocksdb.dir",
                    root.resolve("snapshots").toString()))
        .withFallback(ConfigFactory.load());
  }

  static ActorTestKit start(Path root) {
    return ActorTestKit.create(config(root));
  }

  /** A log that recovered. */
  record Spawned(ActorRef<EventLog.Command> log, EventLog.Recovered recovered) {}

  /** Spawns a log and waits for its recovery to succeed. */
  static Spawned spawnRecovered(ActorTestKit kit, EventLog.Setup setup) {
    TestProbe<Object> monitor = kit.createTestProbe();
    ActorRef<EventLog.Command> log = kit.spawn(EventLog.create(setup, monitor.ref()));
    return new Spawned(log, monitor.expectMessageClass(EventLog.Recovered.class, TIMEOUT));
  }

  /** Spawns a log and waits for its recovery to fail. */
  static Throwable spawnFailing(ActorTestKit kit, EventLog.Setup setup) {
    TestProbe<Object> monitor = kit.createTestProbe();
    kit.spawn(EventLog.create(setup, monitor.ref()));
    return monitor.expectMessageClass(EventLog.RecoveryFailedWith.class, TIMEOUT).failure();
  }

  /** Appends {@code events} with one persist call; returns the last sequence number. */
  static long append(ActorTestKit kit, ActorRef<EventLog.Command> log, String... events) {
    TestProbe<Long> reply = kit.createTestProbe();
    log.tell(new EventLog.Append(List.of(events), reply.ref()));
    return reply.expectMessageClass(Long.class, TIMEOUT);
  }
}
