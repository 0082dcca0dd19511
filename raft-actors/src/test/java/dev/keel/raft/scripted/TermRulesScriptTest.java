package dev.keel.raft.scripted;

import static dev.keel.raft.scripted.Scripts.append;
import static dev.keel.raft.scripted.Scripts.chunk;
import static dev.keel.raft.scripted.Scripts.electLeader;
import static dev.keel.raft.scripted.Scripts.entry;
import static dev.keel.raft.scripted.Scripts.replicateAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.PeerStatus.Role;
import dev.keel.raft.persistence.TermAndVote;
import dev.keel.raft.protocol.RaftMessage;
import dev.keel.raft.protocol.RaftMessage.AppendEntriesResult;
import dev.keel.raft.protocol.RaftMessage.InstallSnapshotResult;
import dev.keel.raft.protocol.RaftMessage.RequestVote;
import dev.keel.raft.protocol.RaftMessage.RequestVoteResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every role's reaction to every message type from a stale, the same and a newer term (§5.1: "If
 * RPC request or response contains term T > currentTerm: set currentTerm = T, convert to follower";
 * a request of a stale term is refused, naming the newer term; an answer of a stale term is
 * ignored). The peer is in term 2 as follower (of n2), candidate, or leader; n3 sends it one
 * message; the table says which role and term it must be in afterwards and what it answers n3.
 */
class TermRulesScriptTest {

  private static final long TERM = 2;
  @RegisterExtension static final ScriptedTestKit kit = new ScriptedTestKit();

  enum Kind {
    APPEND_ENTRIES,
    REQUEST_VOTE,
    REQUEST_VOTE_RESULT,
    APPEND_ENTRIES_RESULT,
    INSTALL_SNAPSHOT,
    INSTALL_SNAPSHOT_RESULT
  }

  /** What n3 may answer: nothing, or a message the predicate accepts. */
  private record Answer(String description, Predicate<RaftMessage> accepts) {
    static final Answer NONE = new Answer("nothing", m -> false);

    @Override
    public String toString() {
      return description;
    }
  }

  private static Answer refusal(long term) {
    return new Answer(
        "a refusal in term " + term, m -> m.term() == term && Boolean.FALSE.equals(outcome(m)));
  }

  private static Answer acceptance(long term) {
    return new Answer(
        "an acceptance in term " + term, m -> m.term() == term && Boolean.TRUE.equals(outcome(m)));
  }

  /** Whether an answer accepts (success, vote granted, chunk taken), or null if not an answer. */
  private static Boolean outcome(RaftMessage m) {
    if (m instanceof AppendEntriesResult r) {
      return r.success();
    } else if (m instanceof RequestVoteResult r) {
      return r.voteGranted();
    } else if (m instanceof InstallSnapshotResult r) {
      return r.nextOffset() > 0 && r.term() >= r.requestTerm();
    }
    return null;
  }

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (Role role : List.of(Role.FOLLOWER, Role.CANDIDATE, Role.LEADER)) {
      for (Kind kind : Kind.values()) {
        // A stale term: requests refused naming our term, answers ignored.
        boolean request =
            kind == Kind.APPEND_ENTRIES
                || kind == Kind.REQUEST_VOTE
                || kind == Kind.INSTALL_SNAPSHOT;
        all.add(
            Arguments.of(role, kind, TERM - 1, role, TERM, request ? refusal(TERM) : Answer.NONE));
        all.add(sameTerm(role, kind));
        all.add(newerTerm(role, kind));
      }
    }
    return all.stream();
  }

  private static Arguments sameTerm(Role role, Kind kind) {
    Role after = role;
    Answer answer = Answer.NONE;
    switch (kind) {
      case APPEND_ENTRIES, INSTALL_SNAPSHOT -> {
        // A leader of our term: follow it; a leader never follows another leader of its term.
        after = role == Role.LEADER ? Role.LEADER : Role.FOLLOWER;
        answer = role == Role.LEADER ? refusal(TERM) : acceptance(TERM);
      }
      case REQUEST_VOTE ->
          // A follower that has not voted in this term may; a candidate or leader voted for itself.
          answer = role == Role.FOLLOWER ? acceptance(TERM) : refusal(TERM);
      default -> {
        // answers of our term to requests the peer never sent: ignored
      }
    }
    return Arguments.of(role, kind, TERM, after, TERM, answer);
  }

  private static Arguments newerTerm(Role role, Kind kind) {
    long newer = TERM + 1;
    if (kind == Kind.REQUEST_VOTE && role != Role.CANDIDATE) {
      // A follower hearing from its leader, and a leader with check-quorum, ignore campaigns
      // (thesis §4.2.3): no new term, a refusal.
      return Arguments.of(role, kind, newer, role, TERM, refusal(TERM));
    }
    Answer answer =
        switch (kind) {
          case APPEND_ENTRIES, INSTALL_SNAPSHOT, REQUEST_VOTE -> acceptance(newer);
          default -> Answer.NONE;
        };
    return Arguments.of(role, kind, newer, Role.FOLLOWER, newer, answer);
  }

  @ParameterizedTest(name = "{0} in term 2 gets {1} of term {2}: {3} in term {4}, answers {5}")
  @MethodSource("cases")
  void obeysTheTermRules(
      Role role, Kind kind, long messageTerm, Role roleAfter, long termAfter, Answer answer) {
    try (ScriptedPeer a = inTermTwo(role)) {
      a.deliver(message(kind, messageTerm, a));
      if (answer == Answer.NONE) {
        a.expectNoMessagesTo("n3");
      } else {
        RaftMessage sent = a.expect("n3", RaftMessage.class);
        assertThat(answer.accepts().test(sent)).as("%s is %s", sent, answer).isTrue();
      }
      a.awaitRole(roleAfter);
      assertThat(a.status().term()).isEqualTo(termAfter);
    }
  }

  /** A peer whose log holds one entry of term 1, in term 2 in the given role. */
  private static ScriptedPeer inTermTwo(Role role) {
    ScriptedPeer a =
        ScriptedPeer.builder(kit)
            .settings(ScriptedPeer.settings().withElectionSafeguards(false, true))
            .recovered(new TermAndVote(1, null), List.of(entry(1, 1, "a")))
            .start();
    switch (role) {
      case FOLLOWER -> {
        a.deliver(append(TERM, "n2", 1, 1, List.of(), 1, 1));
        a.expect("n2", AppendEntriesResult.class);
      }
      case CANDIDATE -> {
        a.advance(ScriptedPeer.ELECTION_TIMEOUT);
        a.expectEach(RequestVote.class);
        a.awaitRole(Role.CANDIDATE);
      }
      case LEADER -> {
        assertThat(electLeader(a)).isEqualTo(TERM);
        replicateAll(a);
      }
    }
    assertThat(a.status().term()).isEqualTo(TERM);
    return a;
  }

  private static RaftMessage message(Kind kind, long term, ScriptedPeer a) {
    long last = a.status().lastLogIndex();
    long lastTerm = last == 1 ? 1 : TERM;
    return switch (kind) {
      case APPEND_ENTRIES -> append(term, "n3", last, lastTerm, List.of(), 1, 7);
      case REQUEST_VOTE -> new RequestVote(term, "n3", last, lastTerm, false, 7);
      case REQUEST_VOTE_RESULT -> new RequestVoteResult(term, "n3", false, false, term, 987);
      case APPEND_ENTRIES_RESULT -> new AppendEntriesResult(term, "n3", false, 0, 1, 1, term, 987);
      case INSTALL_SNAPSHOT ->
          chunk(term, "n3", 9, 1, a.members, 0, new byte[] {1, 2, 3}, false, 7);
      case INSTALL_SNAPSHOT_RESULT -> new InstallSnapshotResult(term, "n3", 9, 0, false, term, 987);
    };
  }
}
