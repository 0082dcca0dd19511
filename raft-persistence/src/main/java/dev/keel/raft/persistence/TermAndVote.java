package dev.keel.raft.persistence;

import org.jspecify.annotations.Nullable;

/**
 * The peer's persistent election state (Figure 2: currentTerm, votedFor).
 *
 * @param term the latest term the peer has seen, 0 before the first election
 * @param votedFor the candidate that received this peer's vote in {@code term}, or null
 */
public record TermAndVote(long term, @Nullable String votedFor) {

  /** The state of a peer that has never seen an election. */
  public static final TermAndVote INITIAL = new TermAndVote(0, null);

  /** Validates the term. */
  public TermAndVote {
    if (term < 0) {
      throw new IllegalArgumentException("term must be >= 0, was " + term);
    }
  }
}
