package dev.keel.raft;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A peer's answer to {@link RaftPeer.GetStatus}: where it stands and what it has counted.
 *
 * @param name the peer's name
 * @param role its current role
 * @param term its current term
 * @param leader the peer it believes leads, or null during an election
 * @param commitIndex highest log index known to be committed
 * @param lastApplied highest log index applied to its state machine
 * @param lastLogIndex index of its last log entry
 * @param members the voting members, itself included
 * @param followerMatchIndex on the leader: each follower's match index; empty otherwise
 * @param metrics counters since the peer started
 */
public record PeerStatus(
    String name,
    Role role,
    long term,
    @Nullable String leader,
    long commitIndex,
    long lastApplied,
    long lastLogIndex,
    List<String> members,
    Map<String, Long> followerMatchIndex,
    PeerMetrics metrics) {

  /** A peer's role. */
  public enum Role {
    FOLLOWER,
    CANDIDATE,
    LEADER
  }

  /** Copies the collections so the record stays immutable. */
  public PeerStatus {
    members = List.copyOf(members);
    followerMatchIndex = Map.copyOf(followerMatchIndex);
  }
}
