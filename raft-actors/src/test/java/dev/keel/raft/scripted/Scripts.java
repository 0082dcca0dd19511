package dev.keel.raft.scripted;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.raft.PeerStatus;
import dev.keel.raft.persistence.EntryPayload;
import dev.keel.raft.persistence.LogEntry;
import dev.keel.raft.protocol.RaftMessage.AppendEntries;
import dev.keel.raft.protocol.RaftMessage.AppendEntriesResult;
import dev.keel.raft.protocol.RaftMessage.InstallSnapshot;
import dev.keel.raft.protocol.RaftMessage.InstallSnapshotResult;
import dev.keel.raft.protocol.RaftMessage.RequestVote;
import dev.keel.raft.protocol.RaftMessage.RequestVoteResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The other members' side of a script: the messages they send, built the way a real peer builds
 * them, and the common openings (win an election, follow a leader).
 */
final class Scripts {

  private Scripts() {}

  // ---- entries

  /** An entry carrying the command {@code command}, as a leader serialized it. */
  static LogEntry entry(long index, long term, String command) {
    return new LogEntry(
        index,
        term,
        new EntryPayload.UserCommand(20, "", command.getBytes(StandardCharsets.UTF_8)));
  }

  /** A leader's no-op entry. */
  static LogEntry noOp(long index, long term) {
    return new LogEntry(index, term, EntryPayload.NoOp.INSTANCE);
  }

  // ---- answers a follower sends

  /** A follower's success answer to {@code request}: its log now matches up to the last entry. */
  static AppendEntriesResult success(AppendEntries request, String follower) {
    return success(request, follower, request.term());
  }

  /** A success answer from a follower now in {@code followerTerm}. */
  static AppendEntriesResult success(AppendEntries request, String follower, long followerTerm) {
    long match = request.prevLogIndex() + request.entries().size();
    return new AppendEntriesResult(
        followerTerm, follower, true, match, 0, 0, request.term(), request.correlationId());
  }

  /** A follower's rejection of {@code request} with the given conflict hint. */
  static AppendEntriesResult rejection(
      AppendEntries request, String follower, long conflictIndex, long conflictTerm) {
    return new AppendEntriesResult(
        request.term(),
        follower,
        false,
        0,
        conflictIndex,
        conflictTerm,
        request.term(),
        request.correlationId());
  }

  /**
   * What a follower in {@code followerTerm} answers to {@code request} from an older term: a
   * refusal naming its newer term.
   */
  static AppendEntriesResult staleTermRefusal(
      AppendEntries request, String follower, long followerTerm) {
    return new AppendEntriesResult(
        followerTerm, follower, false, 0, 0, 0, request.term(), request.correlationId());
  }

  /** A voter's answer to {@code request}. */
  static RequestVoteResult vote(RequestVote request, String voter, boolean granted) {
    return new RequestVoteResult(
        request.term(), voter, granted, request.preVote(), request.term(), request.correlationId());
  }

  /** A refusal from a voter whose own term is {@code voterTerm}. */
  static RequestVoteResult refusal(RequestVote request, String voter, long voterTerm) {
    return new RequestVoteResult(
        voterTerm, voter, false, request.preVote(), request.term(), request.correlationId());
  }

  /** A follower's answer to a snapshot chunk. */
  static InstallSnapshotResult chunkAnswer(
      InstallSnapshot request, String follower, long nextOffset, boolean done) {
    return new InstallSnapshotResult(
        request.term(),
        follower,
        request.lastIncludedIndex(),
        nextOffset,
        done,
        request.term(),
        request.correlationId());
  }

  // ---- requests a leader or candidate sends

  /** An AppendEntries from {@code leader}. */
  static AppendEntries append(
      long term,
      String leader,
      long prevLogIndex,
      long prevLogTerm,
      List<LogEntry> entries,
      long leaderCommit,
      long correlationId) {
    return new AppendEntries(
        term, leader, prevLogIndex, prevLogTerm, entries, leaderCommit, correlationId);
  }

  /** A vote request from {@code candidate}. */
  static RequestVote voteRequest(
      long term, String candidate, long lastLogIndex, long lastLogTerm, boolean preVote) {
    return new RequestVote(term, candidate, lastLogIndex, lastLogTerm, preVote, 1);
  }

  /** A snapshot chunk from {@code leader}. */
  static InstallSnapshot chunk(
      long term,
      String leader,
      long index,
      long indexTerm,
      List<String> members,
      long offset,
      byte[] data,
      boolean done,
      long correlationId) {
    return new InstallSnapshot(
        term, leader, index, indexTerm, members, offset, data, done, correlationId);
  }

  // ---- openings

  /**
   * Makes the peer leader of the next term: its election timeout fires, every other member grants
   * the pre-vote (if enabled) and the vote. Returns the new term; what the new leader sent its
   * followers (a heartbeat, the no-op) waits in the outbox.
   */
  static long electLeader(ScriptedPeer peer) {
    long before = peer.status().term();
    peer.advance(ScriptedPeer.ELECTION_TIMEOUT);
    RequestVote first = grantAll(peer);
    if (first.preVote()) {
      grantAll(peer);
    }
    peer.awaitRole(PeerStatus.Role.LEADER);
    long term = peer.status().term();
    assertThat(term).as("term after election").isEqualTo(before + 1);
    return term;
  }

  private static RequestVote grantAll(ScriptedPeer peer) {
    List<RequestVote> requests = new ArrayList<>();
    for (String other : peer.others()) {
      // Passing over whatever an earlier role of the peer still sent.
      requests.add(peer.expectPassingOver(other, RequestVote.class));
    }
    for (int i = 0; i < requests.size(); i++) {
      peer.deliver(vote(requests.get(i), peer.others().get(i), true));
    }
    return requests.get(0);
  }

  /**
   * Plays {@code follower} until the leader knows it holds every entry up to {@code index}: answers
   * success to each AppendEntries sent to it (however the leader batched them), then waits until
   * the leader's status shows the match. Returns the requests it answered.
   */
  static List<AppendEntries> replicate(ScriptedPeer peer, String follower, long index) {
    List<AppendEntries> answered = new ArrayList<>();
    long reached = -1;
    while (reached < index) {
      AppendEntries request = peer.expect(follower, AppendEntries.class);
      peer.deliver(success(request, follower));
      answered.add(request);
      reached = request.prevLogIndex() + request.entries().size();
    }
    peer.awaitMatch(follower, index);
    return answered;
  }

  /**
   * Takes the requests to {@code follower} up to the first that reaches {@code index}, and returns
   * that one unanswered; the earlier ones go unanswered too.
   */
  static AppendEntries expectReaching(ScriptedPeer peer, String follower, long index) {
    AppendEntries request = peer.expect(follower, AppendEntries.class);
    while (request.prevLogIndex() + request.entries().size() < index) {
      request = peer.expect(follower, AppendEntries.class);
    }
    return request;
  }

  /** Plays every follower until the leader knows each holds its whole log. */
  static void replicateAll(ScriptedPeer peer) {
    long last = peer.status().lastLogIndex();
    for (String follower : peer.others()) {
      replicate(peer, follower, last);
    }
  }
}
