package dev.keel.raft.scripted;

import static dev.keel.raft.scripted.Scripts.append;
import static dev.keel.raft.scripted.Scripts.chunk;
import static dev.keel.raft.scripted.Scripts.chunkAnswer;
import static dev.keel.raft.scripted.Scripts.electLeader;
import static dev.keel.raft.scripted.Scripts.entry;
import static dev.keel.raft.scripted.Scripts.replicate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.RaftPeer.ReadConsistency;
import dev.keel.raft.RaftReply;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.persistence.StoredSnapshot;
import dev.keel.raft.protocol.RaftMessage.AppendEntries;
import dev.keel.raft.protocol.RaftMessage.AppendEntriesResult;
import dev.keel.raft.protocol.RaftMessage.InstallSnapshot;
import dev.keel.raft.protocol.RaftMessage.InstallSnapshotResult;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Snapshots (§7): taken on request and automatically, compacting the log; sent in chunks to a
 * follower behind the compacted log; installed by a follower, keeping or dropping its log.
 */
class SnapshotScriptTest {

  @RegisterExtension static final ScriptedTestKit kit = new ScriptedTestKit();

  /** A leader that committed "a", "b", "c" at indexes 2..4 with n2's help; n3 heard nothing. */
  private static ScriptedPeer leaderWithThreeWrites(ScriptedPeer a) {
    electLeader(a);
    replicate(a, "n2", 1);
    for (String command : List.of("a", "b", "c")) {
      a.write(command);
    }
    replicate(a, "n2", 4);
    return a;
  }

  // A leader of term 1 whose three writes are applied and compacted into a snapshot that goes out
  // in chunks of chunkBytes; n3 has answered nothing since the election.
  private static ScriptedPeer leaderWithCompactedLog(int chunkBytes) {
    ScriptedPeer a =
        leaderWithThreeWrites(
            ScriptedPeer.builder(kit)
                .settings(ScriptedPeer.settings().withSnapshots(0, chunkBytes))
                .start());
    a.awaitApplied(4);
    a.takeSnapshot().receiveMessage(ScriptedPeer.WAIT);
    return a;
  }

  @Test
  void aSnapshotOnRequestCompactsTheLogAndIsNotTakenTwice() {
    try (ScriptedPeer a = leaderWithThreeWrites(ScriptedPeer.builder(kit).start())) {
      a.awaitApplied(4);
      assertThat(a.takeSnapshot().receiveMessage(ScriptedPeer.WAIT))
          .isEqualTo(new RaftReply.Ok<>(4L, 4));
      StoredSnapshot stored = a.storage.inner().snapshot();
      assertThat(stored).isNotNull();
      assertThat(stored.metadata().lastIncludedIndex()).isEqualTo(4);
      assertThat(stored.metadata().lastIncludedTerm()).isEqualTo(1);
      assertThat(stored.metadata().members()).containsExactly("n1", "n2", "n3");
      assertThat(stored.data()).isEqualTo(ListStateMachine.snapshotOf("a", "b", "c"));
      assertThat(a.storage.inner().entries()).isEmpty();
      // Nothing applied since: answered with the same snapshot, not written again.
      assertThat(a.takeSnapshot().receiveMessage(ScriptedPeer.WAIT))
          .isEqualTo(new RaftReply.Ok<>(4L, 4));
      assertThat(a.storage.issued("snapshot")).hasSize(1);
    }
  }

  @Test
  void aSnapshotBeforeAnythingWasAppliedIsAnsweredZero() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      assertThat(a.takeSnapshot().receiveMessage(ScriptedPeer.WAIT))
          .isEqualTo(new RaftReply.Ok<>(0L, 0));
      assertThat(a.storage.issued("snapshot")).isEmpty();
    }
  }

  @Test
  void snapshotsAreTakenAutomaticallyEveryConfiguredNumberOfEntries() {
    try (ScriptedPeer a =
        ScriptedPeer.builder(kit)
            .settings(ScriptedPeer.settings().withSnapshots(3, 64 * 1024))
            .start()) {
      leaderWithThreeWrites(a);
      a.awaitApplied(4);
      a.awaitAssert(() -> assertThat(a.storage.issued("snapshot")).hasSize(1));
      assertThat(a.storage.inner().snapshot().metadata().lastIncludedIndex())
          .isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void aFollowerBehindTheCompactedLogGetsTheSnapshotInChunksThenTheRest() {
    try (ScriptedPeer a = leaderWithCompactedLog(8)) {
      a.write("d");
      replicate(a, "n2", 5);
      // n3 never answered: its requests are presumed lost and it is probed from index 1, which
      // the leader compacted away: the snapshot goes instead.
      a.drain("n3");
      InstallSnapshot chunk = a.tickUntilSent("n3", InstallSnapshot.class, 6);
      assertThat(chunk).as("a snapshot chunk to n3").isNotNull();
      byte[] expected = ListStateMachine.snapshotOf("a", "b", "c");
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      while (true) {
        assertThat(chunk.lastIncludedIndex()).isEqualTo(4);
        assertThat(chunk.offset()).isEqualTo(received.size());
        assertThat(chunk.data().length).isLessThanOrEqualTo(8);
        received.write(chunk.data(), 0, chunk.data().length);
        a.deliver(chunkAnswer(chunk, "n3", received.size(), chunk.done()));
        if (chunk.done()) {
          break;
        }
        chunk = a.expect("n3", InstallSnapshot.class);
      }
      assertThat(received.toByteArray()).isEqualTo(expected);
      // Then the entries after the snapshot.
      AppendEntries rest = a.expect("n3", AppendEntries.class);
      while (rest.entries().isEmpty()) {
        rest = a.expect("n3", AppendEntries.class);
      }
      assertThat(rest.prevLogIndex()).isEqualTo(4);
      assertThat(rest.entries()).containsExactly(entry(5, 1, "d"));
    }
  }

  @Test
  void aLostChunkIsSentAgainFromTheOffsetTheFollowerWants() {
    try (ScriptedPeer a = leaderWithCompactedLog(8)) {
      a.drain("n3");
      InstallSnapshot first = a.tickUntilSent("n3", InstallSnapshot.class, 6);
      assertThat(first).isNotNull();
      // The first chunk got lost: after some silent ticks it goes again.
      InstallSnapshot resent = a.tickUntilSent("n3", InstallSnapshot.class, 4);
      assertThat(resent).isNotNull();
      assertThat(resent.offset()).isZero();
      // n3 answers that it has 8 bytes: the next chunk starts there.
      a.deliver(chunkAnswer(resent, "n3", 8, false));
      InstallSnapshot next = a.expect("n3", InstallSnapshot.class);
      assertThat(next.offset()).isEqualTo(8);
    }
  }

  @Test
  void aFollowerInstallsALeadersSnapshotAndRestoresItsStateMachine() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      byte[] data = ListStateMachine.snapshotOf("s1", "s2");
      a.deliver(chunk(2, "n2", 6, 2, a.members, 0, data, true, 4));
      InstallSnapshotResult done = a.expect("n2", InstallSnapshotResult.class);
      assertThat(done.done()).isTrue();
      assertThat(done.requestTerm()).isEqualTo(2);
      assertThat(done.correlationId()).isEqualTo(4);
      assertThat(a.status().commitIndex()).isEqualTo(6);
      assertThat(a.read("q", ReadConsistency.LOCAL).receiveMessage(ScriptedPeer.WAIT))
          .isEqualTo(new RaftReply.Ok<>(List.of("s1", "s2"), 6));
      assertThat(a.storage.inner().snapshot().metadata().lastIncludedIndex()).isEqualTo(6);
      // The leader goes on right after the snapshot.
      a.deliver(append(2, "n2", 6, 2, List.of(entry(7, 2, "x")), 7, 5));
      AppendEntriesResult next = a.expect("n2", AppendEntriesResult.class);
      assertThat(next.success()).isTrue();
      assertThat(next.matchIndex()).isEqualTo(7);
    }
  }

  @Test
  void aSnapshotMatchingTheLogKeepsTheEntriesAfterIt() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      List<LogEntry> log = List.of(entry(1, 1, "a"), entry(2, 1, "b"), entry(3, 1, "c"));
      a.deliver(append(1, "n2", 0, 0, log, 0, 1));
      a.expect("n2", AppendEntriesResult.class);
      a.deliver(chunk(1, "n2", 2, 1, a.members, 0, ListStateMachine.snapshotOf("a", "b"), true, 2));
      assertThat(a.expect("n2", InstallSnapshotResult.class).done()).isTrue();
      assertThat(a.status().lastLogIndex()).isEqualTo(3);
      assertThat(a.storage.inner().entries()).containsExactly(entry(3, 1, "c"));
    }
  }

  @Test
  void aSnapshotContradictingTheLogReplacesIt() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      List<LogEntry> log = List.of(entry(1, 1, "a"), entry(2, 1, "b"), entry(3, 1, "c"));
      a.deliver(append(1, "n2", 0, 0, log, 0, 1));
      a.expect("n2", AppendEntriesResult.class);
      a.deliver(chunk(3, "n3", 2, 2, a.members, 0, ListStateMachine.snapshotOf("z"), true, 2));
      assertThat(a.expect("n3", InstallSnapshotResult.class).done()).isTrue();
      assertThat(a.status().lastLogIndex()).isEqualTo(2);
      assertThat(a.storage.inner().entries()).isEmpty();
      assertThat(a.read("q", ReadConsistency.LOCAL).receiveMessage(ScriptedPeer.WAIT))
          .isEqualTo(new RaftReply.Ok<>(List.of("z"), 2));
    }
  }

  @Test
  void aChunkAtAnUnexpectedOffsetIsAnsweredWithTheOffsetWanted() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      byte[] data = ListStateMachine.snapshotOf("s1", "s2", "s3");
      a.deliver(chunk(1, "n2", 5, 1, a.members, 0, Arrays.copyOfRange(data, 0, 4), false, 1));
      assertThat(a.expect("n2", InstallSnapshotResult.class).nextOffset()).isEqualTo(4);
      // A duplicate of the first chunk, then one from too far ahead: both name offset 4.
      a.deliver(chunk(1, "n2", 5, 1, a.members, 0, Arrays.copyOfRange(data, 0, 4), false, 2));
      assertThat(a.expect("n2", InstallSnapshotResult.class).nextOffset()).isEqualTo(4);
      a.deliver(chunk(1, "n2", 5, 1, a.members, 9, Arrays.copyOfRange(data, 9, 12), false, 3));
      assertThat(a.expect("n2", InstallSnapshotResult.class).nextOffset()).isEqualTo(4);
      a.deliver(
          chunk(1, "n2", 5, 1, a.members, 4, Arrays.copyOfRange(data, 4, data.length), true, 4));
      assertThat(a.expect("n2", InstallSnapshotResult.class).done()).isTrue();
      assertThat(a.status().commitIndex()).isEqualTo(5);
    }
  }

  @Test
  void aSnapshotChunkOfAStaleTermIsRefusedNamingTheNewerTerm() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      a.deliver(append(3, "n2", 0, 0, List.of(), 0, 1));
      a.expect("n2", AppendEntriesResult.class);
      a.deliver(chunk(2, "n3", 5, 1, a.members, 0, new byte[] {1}, true, 7));
      InstallSnapshotResult refused = a.expect("n3", InstallSnapshotResult.class);
      assertThat(refused.done()).isFalse();
      assertThat(refused.term()).isEqualTo(3);
      assertThat(refused.requestTerm()).isEqualTo(2);
      assertThat(a.storage.issued("snapshot")).isEmpty();
    }
  }

  @Test
  void aSnapshotAlreadyCoveredByCommittedEntriesIsAcknowledgedWithoutRestoring() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      List<LogEntry> log = List.of(entry(1, 1, "a"), entry(2, 1, "b"), entry(3, 1, "c"));
      a.deliver(append(1, "n2", 0, 0, log, 3, 1));
      a.expect("n2", AppendEntriesResult.class);
      a.deliver(chunk(1, "n2", 2, 1, a.members, 0, ListStateMachine.snapshotOf("other"), true, 2));
      assertThat(a.expect("n2", InstallSnapshotResult.class).done()).isTrue();
      assertThat(a.storage.issued("snapshot")).isEmpty();
      assertThat(a.read("q", ReadConsistency.LOCAL).receiveMessage(ScriptedPeer.WAIT))
          .isEqualTo(new RaftReply.Ok<>(List.of("a", "b", "c"), 3));
    }
  }

  @Test
  void aRestartedPeerRecoversFromItsSnapshot() {
    ScriptedStorage storage = new ScriptedStorage();
    try (ScriptedPeer a =
        leaderWithThreeWrites(ScriptedPeer.builder(kit).storage(storage).start())) {
      a.awaitApplied(4);
      a.takeSnapshot().receiveMessage(ScriptedPeer.WAIT);
    }
    try (ScriptedPeer again =
        ScriptedPeer.builder(kit).storage(new ScriptedStorage(storage.inner())).start()) {
      assertThat(again.read("q", ReadConsistency.LOCAL).receiveMessage(ScriptedPeer.WAIT))
          .isEqualTo(new RaftReply.Ok<>(List.of("a", "b", "c"), 4));
      assertThat(again.status().commitIndex()).isEqualTo(4);
      assertThat(again.status().term()).isEqualTo(1);
    }
  }

  @Test
  void aSnapshotTheStorageCannotSaveStopsThePeer() {
    try (ScriptedPeer a = leaderWithThreeWrites(ScriptedPeer.builder(kit).start())) {
      a.awaitApplied(4);
      a.storage.failNext();
      var caller = a.takeSnapshot();
      assertThat(caller.receiveMessage(ScriptedPeer.WAIT)).isInstanceOf(RaftReply.Rejected.class);
      a.watcher().expectTerminated(a.ref, ScriptedPeer.WAIT);
    }
  }

  @Test
  void aFollowerThatRejectsBelowTheCompactedLogGetsTheSnapshotAtOnce() {
    try (ScriptedPeer a = leaderWithCompactedLog(8)) {
      AppendEntries toN3 = a.drainLast("n3", AppendEntries.class);
      assertThat(toN3).isNotNull();
      // n3 answers its latest request: its log ends at 2, which the leader compacted away.
      a.deliver(Scripts.rejection(toN3, "n3", 3, 0));
      InstallSnapshot chunk = a.expect("n3", InstallSnapshot.class);
      assertThat(chunk.offset()).isZero();
      assertThat(chunk.lastIncludedIndex()).isEqualTo(4);
      // Lost: resent after exactly lost-request-ticks silent ticks.
      a.advance(ScriptedPeer.HEARTBEAT);
      a.advance(ScriptedPeer.HEARTBEAT);
      a.expectNoMessagesTo("n3");
      a.advance(ScriptedPeer.HEARTBEAT);
      InstallSnapshot again = a.expect("n3", InstallSnapshot.class);
      assertThat(again.offset()).isZero();
      assertThat(again.correlationId()).isGreaterThan(chunk.correlationId());
      // Answering an older chunk changes nothing; answering the latest moves on.
      a.deliver(chunkAnswer(chunk, "n3", 0, false));
      a.expectNoMessagesTo("n3");
      a.deliver(chunkAnswer(again, "n3", 8, false));
      assertThat(a.expect("n3", InstallSnapshot.class).offset()).isEqualTo(8);
    }
  }

  @Test
  void aFollowerWhoseInstallIsDoneIsKnownToMatchTheSnapshot() {
    try (ScriptedPeer a = leaderWithCompactedLog(1024)) {
      AppendEntries toN3 = a.drainLast("n3", AppendEntries.class);
      a.deliver(Scripts.rejection(toN3, "n3", 1, 0));
      InstallSnapshot whole = a.expect("n3", InstallSnapshot.class);
      assertThat(whole.done()).isTrue();
      a.deliver(chunkAnswer(whole, "n3", whole.data().length, true));
      a.awaitMatch("n3", 4);
    }
  }

  @Test
  void aSnapshotCommittedButNotYetDurableIsNeitherInstalledNorAcknowledged() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      a.storage.hold();
      List<LogEntry> log = List.of(entry(1, 1, "a"), entry(2, 1, "b"));
      a.deliver(append(1, "n2", 0, 0, log, 2, 1));
      a.deliver(chunk(1, "n2", 2, 1, a.members, 0, ListStateMachine.snapshotOf("a", "b"), true, 2));
      a.expectNoMessages();
      assertThat(a.storage.issued("snapshot")).isEmpty();
      a.storage.releaseAll();
      assertThat(a.expect("n2", AppendEntriesResult.class).matchIndex()).isEqualTo(2);
      a.deliver(chunk(1, "n2", 2, 1, a.members, 0, ListStateMachine.snapshotOf("a", "b"), true, 3));
      InstallSnapshotResult done = a.expect("n2", InstallSnapshotResult.class);
      assertThat(done.done()).isTrue();
      assertThat(done.nextOffset()).isEqualTo(ListStateMachine.snapshotOf("a", "b").length);
    }
  }

  @Test
  void aDurableInstallOfAnEarlierTermIsNotAcknowledgedToItsLeader() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      a.storage.hold();
      a.deliver(chunk(1, "n2", 5, 1, a.members, 0, ListStateMachine.snapshotOf("s"), true, 1));
      a.status();
      // A new leader takes over while the install is being written.
      a.deliver(append(2, "n3", 5, 1, List.of(), 5, 1));
      a.status();
      a.storage.releaseAll();
      assertThat(a.expect("n3", AppendEntriesResult.class).success()).isTrue();
      a.expectNoMessagesTo("n2");
    }
  }

  @Test
  void entriesAfterAContradictingSnapshotAreAcknowledgedOnlyOnceDurable() {
    try (ScriptedPeer a = ScriptedPeer.builder(kit).start()) {
      List<LogEntry> log =
          List.of(entry(1, 1, "a"), entry(2, 1, "b"), entry(3, 1, "c"), entry(4, 1, "d"));
      a.deliver(append(1, "n2", 0, 0, log, 0, 1));
      a.expect("n2", AppendEntriesResult.class);
      a.deliver(chunk(3, "n3", 3, 2, a.members, 0, ListStateMachine.snapshotOf("z"), true, 2));
      assertThat(a.expect("n3", InstallSnapshotResult.class).done()).isTrue();
      a.storage.hold();
      a.deliver(append(3, "n3", 3, 2, List.of(entry(4, 3, "w")), 3, 3));
      a.expectNoMessages();
      a.storage.releaseAll();
      assertThat(a.expect("n3", AppendEntriesResult.class).matchIndex()).isEqualTo(4);
    }
  }
}
