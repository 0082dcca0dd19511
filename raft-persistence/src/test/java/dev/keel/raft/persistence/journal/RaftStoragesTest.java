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
  void rocksDbIsTheDurableDefaultInADirectoryPerNodeSharedByGroups() {
    ActorTestKit kit =
        kit("keel.persistence.rocksdb.dir = \"" + dir.toString().replace("\\", "/") + "\"");
    try {
      RaftStorage orders = RaftStorages.create(kit.system(), "orders", "n1");
      RaftStorage users = RaftStorages.create(kit.system(), "users", "n1");
      assertThat(orders).isInstanceOf(JournaledRaftStorage.class);
      recover((JournaledRaftStorage) orders);
      recover((JournaledRaftStorage) users);
      await(orders.appendEntries(entries(1, 3, 1)));
      await(users.appendEntries(entries(1, 1, 1)));
      Path node = dir.resolve("raft").resolve("n1");
      assertThat(Files.isDirectory(node.resolve(JournaledRaftStorage.JOURNAL_DIR))).isTrue();
      assertThat(((JournaledRaftStorage) orders).journalPluginId())
          .isEqualTo(((JournaledRaftStorage) users).journalPluginId());
      assertThat(recover((JournaledRaftStorage) orders).entries()).hasSize(3);
      assertThat(recover((JournaledRaftStorage) users).entries()).hasSize(1);
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
