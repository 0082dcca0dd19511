package dev.keel.raft.persistence;

import java.util.List;

/**
 * What a snapshot of the state machine covers (§7).
 *
 * @param lastIncludedIndex the snapshot replaces all entries up through and including this index
 * @param lastIncludedTerm term of lastIncludedIndex
 * @param members the voting members as of lastIncludedIndex
 */
public record SnapshotMetadata(
    long lastIncludedIndex, long lastIncludedTerm, List<String> members) {

  /** Validates the metadata and copies the member list. */
  public SnapshotMetadata {
    if (lastIncludedIndex < 1 || lastIncludedTerm < 1) {
      throw new IllegalArgumentException(
          "snapshot must cover an entry, was index "
              + lastIncludedIndex
              + " term "
              + lastIncludedTerm);
    }
    members = List.copyOf(members);
  }
}
