package dev.keel.raft.persistence;

import java.util.Arrays;
import java.util.Objects;

/**
 * A snapshot of the state machine as stored and as sent to lagging followers: its metadata and the
 * bytes the state machine wrote.
 */
public final class StoredSnapshot {

  private final SnapshotMetadata metadata;
  private final byte[] data;

  /**
   * A snapshot; {@code data} is not copied and must not be changed afterwards.
   *
   * @param metadata what it covers
   * @param data the state machine's bytes
   */
  public StoredSnapshot(SnapshotMetadata metadata, byte[] data) {
    this.metadata = Objects.requireNonNull(metadata, "metadata");
    this.data = Objects.requireNonNull(data, "data");
  }

  /** What the snapshot covers. */
  public SnapshotMetadata metadata() {
    return metadata;
  }

  /** The state machine's bytes; callers must not change them. */
  @SuppressWarnings("EffectivelyPrivate") // shared deliberately: snapshots can be large
  public byte[] data() {
    return data;
  }

  /** Size of the state machine's bytes. */
  public int size() {
    return data.length;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StoredSnapshot that
        && metadata.equals(that.metadata)
        && Arrays.equals(data, that.data);
  }

  @Override
  public int hashCode() {
    return 31 * metadata.hashCode() + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "StoredSnapshot[" + metadata + ", " + data.length + " bytes]";
  }
}
