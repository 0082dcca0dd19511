package dev.keel.raft.persistence.journal;

import static dev.keel.raft.persistence.journal.Journals.await;
import static dev.keel.raft.persistence.journal.Journals.entries;
import static dev.keel.raft.persistence.journal.Journals.recover;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.keel.raft.persistence.InMemoryRaftStorage;
import dev.keel.raft.persistence.RaftStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RaftStoragesTest {

  @TempDir Path dir;

  private static ActorTestKit kit(String config) {
    return ActorTestKit.create(
        "storages", ConfigFactory.parseString(config).withFallback(ConfigFactory.load()));
  }

  @Test
  void rocksDbIsTheDurableDefaultInADirectoryPerGroupAndPeer() {
    ActorTestKit kit =
        kit("keel.persistence.rocksdb.dir = \"" + dir.toString().replace("\\", "/") + "\"");
    try {
      RaftStorage storage = RaftStorages.create(kit.system(), "orders", "n1");
      assertThat(storage).isInstanceOf(JournaledRaftStorage.class);
      recover((JournaledRaftStorage) storage);
      await(storage.appendEntries(entries(1, 3, 1)));
      assertThat(Files.isDirectory(dir.resolve("raft").resolve("orders").resolve("n1"))).isTrue();
    } finally {
      kit.shutdownTestKit();
    }
  }

  @Test
  void inMemoryAndJournalPluginAreOneSettingAway() {
    ActorTestKit memory = kit("keel.persistence.storage = in-memory");
    ActorTestKit plugin =
        kit(
            "keel.persistence.storage = journal-plugin\n"
                + "pekko.persistence.journal.plugin = \"pekko.persistence.journal.inmem\"");
    try {
      assertThat(RaftStorages.create(memory.system(), "g", "n1"))
          .isInstanceOf(InMemoryRaftStorage.class);
      RaftStorage journaled = RaftStorages.create(plugin.system(), "g", "n1");
      assertThat(journaled).isInstanceOf(JournaledRaftStorage.class);
      // An empty plugin id means Pekko's configured default, here the in-memory journal.
      assertThat(((JournaledRaftStorage) journaled).journalPluginId()).isEmpty();
      recover((JournaledRaftStorage) journaled);
      await(journaled.appendEntries(entries(1, 2, 1)));
      assertThat(recover((JournaledRaftStorage) journaled).entries()).hasSize(2);
    } finally {
      memory.shutdownTestKit();
      plugin.shutdownTestKit();
    }
  }

  @Test
  void anUnknownKindIsAnErrorNamingTheSetting() {
    ActorTestKit kit = kit("keel.persistence.storage = floppy");
    try {
      assertThatThrownBy(() -> RaftStorages.create(kit.system(), "g", "n1"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("keel.persistence.storage")
          .hasMessageContaining("floppy");
    } finally {
      kit.shutdownTestKit();
    }
  }
}
