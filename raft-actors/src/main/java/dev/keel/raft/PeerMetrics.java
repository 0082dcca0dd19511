package dev.keel.raft;

/**
 * Counters a peer keeps since it started (they restart at 0 with the peer).
 *
 * @param electionsStarted elections this peer started as candidate (real votes, not pre-votes)
 * @param electionsWon elections it won
 * @param proposals client writes it accepted as leader
 * @param commits log entries it saw committed
 * @param applied log entries it applied to its state machine
 * @param currentTerm its current term
 */
public record PeerMetrics(
    long electionsStarted,
    long electionsWon,
    long proposals,
    long commits,
    long applied,
    long currentTerm) {}
