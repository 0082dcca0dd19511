package dev.keel.raft.persistence.journal;

import static dev.keel.raft.persistence.journal.JournaledRaftStorageWritePathTest.assertFailure;
import static dev.keel.raft.persistence.journal.Journals.await;
import static dev.keel.raft.persistence.journal.Journals.recover;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.keel.raft.persistence.EntryPayload;
import dev.keel.raft.persistence.LogEntry;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JournaledRaftStorage#checkStorable} refuses, with a message naming the class and the fix,
 * exactly the commands the journal could not store.
 */
class JournaledRaftStorageCheckStorableTest {

  private static final ActorTestKit KIT =
      Journals.kit(
          ConfigFactory.parseString(
              """
              pekko.actor.serializers {
                greeting = "dev.keel.raft.persistence.journal.Greeting$Serializer"
                picky = "dev.keel.raft.persistence.journal.PickyCommand$Serializer"
              }
              pekko.actor.serialization-bindings {
                "dev.keel.raft.persistence.journal.Greeting" = greeting
                "dev.keel.raft.persistence.journal.PickyCommand" = picky
              }
              """));

  /** A command class no serializer is bound to. */
  private record Unbound(String text) {}

  /** A command class only Java serialization could write; it is off. */
  private record JavaSerializable(String text) implements Serializable {}

  @TempDir Path dir;

  private JournaledRaftStorage storage;

  @BeforeEach
  void createStorage() {
    storage = Journals.onRocksDb(KIT, dir, "n1");
  }

  @AfterEach
  void closeStorage() {
    storage.close();
  }

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  @Test
  void aCommandOfAClassWithoutASerializerIsRejectedNamingTheClassAndTheFix() {
    assertThatThrownBy(() -> storage.checkStorable(new Unbound("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Unbound.class.getName())
        .hasMessageContaining("no serializer is bound to it")
        .hasMessageContaining("pekko.actor.serialization-bindings");
  }

  @Test
  void aCommandOnlyJavaSerializationCouldWriteIsRejected() {
    assertThatThrownBy(() -> storage.checkStorable(new JavaSerializable("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(JavaSerializable.class.getName())
        .hasMessageContaining("Java serialization")
        .hasMessageContaining("pekko.actor.serialization-bindings");
  }

  @Test
  void stringsByteArraysAndCommandsWithABoundSerializerPass() {
    assertThatCode(
            () -> {
              storage.checkStorable("set x=1");
              storage.checkStorable(new byte[] {1, 2, 3});
              storage.checkStorable(new Greeting("hello"));
            })
        .doesNotThrowAnyException();
  }

  @Test
  void aCommandItsBoundSerializerCannotWriteIsRejected() {
    assertThatThrownBy(() -> storage.checkStorable(new PickyCommand(false)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(PickyCommand.class.getName())
        .hasMessageContaining(PickyCommand.Serializer.class.getName())
        .hasMessageContaining("holds nothing this serializer can write");
  }

  @Test
  void theCheckIsPerClassOnceAClassHasPassed() {
    // A rejection is not remembered: a writable command of the same class still passes.
    assertThatThrownBy(() -> storage.checkStorable(new PickyCommand(false)))
        .isInstanceOf(IllegalArgumentException.class);
    storage.checkStorable(new PickyCommand(true));

    // The documented limitation: once the class passed, its instances are no longer serialized
    // by the check, and an unwritable one fails the storage as before.
    PickyCommand unwritable = new PickyCommand(false);
    assertThatCode(() -> storage.checkStorable(unwritable)).doesNotThrowAnyException();
    recover(storage);
    LogEntry entry = new LogEntry(1, 1, new EntryPayload.UserCommand(unwritable));
    assertFailure(storage.appendEntries(List.of(entry)), JournaledStorageException.class)
        .contains("rejected");
  }

  @Test
  void whatTheCheckAcceptsTheJournalStores() {
    List<Object> commands = List.of("set x=1", new byte[] {7}, new Greeting("hi"));
    recover(storage);
    long index = 1;
    for (Object command : commands) {
      storage.checkStorable(command);
      await(
          storage.appendEntries(
              List.of(new LogEntry(index++, 1, new EntryPayload.UserCommand(command)))));
    }
    assertThat(recover(storage).entries()).hasSize(3);
  }
}
