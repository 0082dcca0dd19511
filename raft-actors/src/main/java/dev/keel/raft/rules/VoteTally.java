package dev.keel.raft.rules;

import java.util.HashSet;
import java.util.Set;

/** Counts the answers of one election or pre-vote round. */
public final class VoteTally {

  /** Where an election stands. */
  public enum Result {
    PENDING,
    WON,
    LOST
  }

  private final Set<String> voters;
  private final Set<String> granted = new HashSet<>();
  private final Set<String> refused = new HashSet<>();

  /** A tally over the given voters, the candidate included. */
  public VoteTally(Set<String> voters) {
    this.voters = Set.copyOf(voters);
  }

  /** Records one answer; repeated or unknown voters are ignored. */
  public Result record(String voter, boolean voteGranted) {
    if (voters.contains(voter) && !granted.contains(voter) && !refused.contains(voter)) {
      (voteGranted ? granted : refused).add(voter);
    }
    return result();
  }

  /** The current result. */
  public Result result() {
    int majority = Quorum.majority(voters.size());
    if (granted.size() >= majority) {
      return Result.WON;
    }
    if (refused.size() > voters.size() - majority) {
      return Result.LOST;
    }
    return Result.PENDING;
  }
}
