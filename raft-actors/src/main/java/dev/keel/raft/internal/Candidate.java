package dev.keel.raft.internal;

import dev.keel.raft.PeerStatus;
import dev.keel.raft.RaftPeer.Command;
import dev.keel.raft.protocol.RaftMessage.RequestVote;
import dev.keel.raft.protocol.RaftMessage.RequestVoteResult;
import dev.keel.raft.rules.VoteRules;
import dev.keel.raft.rules.VoteTally;
import java.time.Duration;
import java.util.HashSet;
import org.apache.pekko.actor.typed.Behavior;

/**
 * The candidate role, in two phases: a pre-vote that changes no term (thesis §9.6), then the
 * election proper (§5.2).
 */
final class Candidate extends RoleBehavior {

  private enum Phase {
    PRE_VOTE,
    ELECTION
  }

  private final Phase phase;
  // The term this round campaigns for: currentTerm + 1 in a pre-vote, currentTerm in an election.
  private final long electionTerm;
  private final VoteTally tally;
  // Names this round's requests: answers to another round, even of the same term, are ignored.
  private final long roundId;
  private boolean ownVoteDurable;
  // Whether this pre-vote round already moved its timeout up after a refusal (once per round); if
  // so, the round its timer starts counts as started early.
  private boolean quickRetryScheduled;
  // Pre-vote rounds in a row that were started early after a refusal; bounded by
  // MAX_QUICK_RETRIES, so a node that cannot hear a live leader others hear goes back to asking
  // once per election timeout.
  private final int quickRetries;
  private static final int MAX_QUICK_RETRIES = 2;

  private Candidate(PeerState state, Phase phase, int quickRetries) {
    super(state);
    this.phase = phase;
    this.quickRetries = quickRetries;
    this.tally = new VoteTally(new HashSet<>(s.members));
    this.roundId = s.nextCorrelationId++;
    s.leaderId = null;
    s.timers.startSingleTimer(
        InternalMessage.Signal.ELECTION_TIMEOUT,
        InternalMessage.Signal.ELECTION_TIMEOUT,
        s.randomElectionTimeout());
    if (phase == Phase.PRE_VOTE) {
      electionTerm = s.currentTerm + 1;
      ownVoteDurable = true;
    } else {
      // On conversion to candidate, start election: increment currentTerm, vote for self (§5.2)
      s.adoptTerm(s.currentTerm + 1);
      s.votedFor = s.id;
      s.counters.electionsStarted++;
      electionTerm = s.currentTerm;
      s.persistTermAndVote(null);
    }
    tally.record(s.id, true);
  }

  /** Starts campaigning: with a pre-vote if enabled, else directly. */
  static Behavior<Command> start(PeerState state) {
    return start(state, 0);
  }

  private static Behavior<Command> start(PeerState state, int quickRetries) {
    Candidate candidate =
        new Candidate(
            state, state.settings.preVote() ? Phase.PRE_VOTE : Phase.ELECTION, quickRetries);
    return candidate.afterStart();
  }

  private Behavior<Command> afterStart() {
    s.log.info(
        "{}: {} for term {}",
        s.id,
        phase == Phase.PRE_VOTE ? "pre-vote" : "election",
        electionTerm);
    if (phase == Phase.PRE_VOTE) {
      requestVotes();
      return checkTally();
    }
    return this; // requests go out once our own vote is durable
  }

  private void requestVotes() {
    RequestVote request =
        new RequestVote(
            electionTerm,
            s.id,
            s.raftLog.lastIndex(),
            s.raftLog.lastTerm(),
            phase == Phase.PRE_VOTE,
            roundId);
    for (String peer : s.others) {
      s.transport.send(peer, request);
    }
  }

  @Override
  PeerStatus.Role role() {
    return PeerStatus.Role.CANDIDATE;
  }

  @Override
  Behavior<Command> onTermPersisted(InternalMessage.TermPersisted m) {
    Behavior<Command> next = super.onTermPersisted(m);
    if (next == this
        && phase == Phase.ELECTION
        && !ownVoteDurable
        && m.term() == electionTerm
        && s.currentTerm == electionTerm) {
      ownVoteDurable = true;
      requestVotes();
      return checkTally();
    }
    return next;
  }

  @Override
  Behavior<Command> onRequestVote(RequestVote m) {
    Behavior<Command> next = super.onRequestVote(m);
    // Two followers whose timeouts fire together both pass their pre-votes and split the real
    // vote, costing another election timeout. A pre-candidate that is asked for a pre-vote of the
    // same term by a peer with a better claim (a more up-to-date log, or an equal one and a
    // smaller name) has just granted it (a candidate follows no leader) and steps back, so only
    // one of them campaigns. Only liveness is at stake: a pre-vote moves no term and no vote.
    if (next == this
        && phase == Phase.PRE_VOTE
        && m.preVote()
        && m.term() == electionTerm
        && hasBetterClaim(m)) {
      s.log.info("{}: leaving the pre-vote for term {} to {}", s.id, electionTerm, m.candidateId());
      return new Follower(s);
    }
    return next;
  }

  private boolean hasBetterClaim(RequestVote m) {
    long ourIndex = s.raftLog.lastIndex();
    long ourTerm = s.raftLog.lastTerm();
    if (m.lastLogTerm() != ourTerm || m.lastLogIndex() != ourIndex) {
      return VoteRules.isUpToDate(m.lastLogIndex(), m.lastLogTerm(), ourIndex, ourTerm);
    }
    return m.candidateId().compareTo(s.id) < 0;
  }

  @Override
  Behavior<Command> onRequestVoteResult(RequestVoteResult m) {
    Behavior<Command> next = super.onRequestVoteResult(m);
    if (next != this) {
      return next;
    }
    // Only answers to this round's requests count: a delayed answer to an earlier election or
    // pre-vote round says nothing about this one.
    boolean current =
        m.preVote() == (phase == Phase.PRE_VOTE)
            && m.requestTerm() == electionTerm
            && m.correlationId() == roundId
            && (phase == Phase.PRE_VOTE || s.currentTerm == electionTerm);
    if (!current) {
      return this;
    }
    tally.record(m.voterId(), m.voteGranted());
    Behavior<Command> after = checkTally();
    if (after == this
        && phase == Phase.PRE_VOTE
        && !m.voteGranted()
        && !quickRetryScheduled
        && quickRetries < MAX_QUICK_RETRIES) {
      // A refused pre-vote changes nothing anywhere, and the refusal usually means the voter
      // heard the leader a moment ago (its heartbeats arrive at another phase than ours). If the
      // leader just died, that voter's lease runs out within one or two heartbeat intervals:
      // asking again then, rather than after a whole election timeout, saves a round without
      // disturbing anyone — a pre-vote moves no term (thesis §9.6).
      quickRetryScheduled = true;
      long beat = s.settings.heartbeatInterval().toMillis();
      s.timers.startSingleTimer(
          InternalMessage.Signal.ELECTION_TIMEOUT,
          InternalMessage.Signal.ELECTION_TIMEOUT,
          Duration.ofMillis(beat + s.random.nextLong(beat + 1)));
    }
    return after;
  }

  private Behavior<Command> checkTally() {
    VoteTally.Result result = tally.result();
    if (result == VoteTally.Result.LOST) {
      s.log.info("{}: lost the {} for term {}", s.id, phase, electionTerm);
      return new Follower(s);
    }
    if (result != VoteTally.Result.WON || !ownVoteDurable) {
      return this;
    }
    if (phase == Phase.PRE_VOTE) {
      return new Candidate(s, Phase.ELECTION, 0).afterStart();
    }
    // If votes received from majority of servers: become leader (§5.2)
    s.counters.electionsWon++;
    return Leader.start(s);
  }

  @Override
  Behavior<Command> onElectionTimeout() {
    // If election timeout elapses: start new election (§5.2)
    return start(s, quickRetryScheduled ? quickRetries + 1 : 0);
  }
}
