package dev.keel.raft.remote;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.keel.raft.RaftSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that Keel's largest messages fit in one Artery frame. Artery drops a message larger than
 * {@value #MAXIMUM_FRAME_SIZE} with only a log line at the sender, so a replication batch or a
 * snapshot chunk above it would never arrive and Raft would resend it forever. AppendEntries and
 * snapshot chunks are limited by bytes ({@code keel.raft.max-bytes-per-append}, {@code
 * keel.raft.snapshot-chunk-bytes}); each limit plus {@link #MESSAGE_OVERHEAD_BYTES} for the
 * message's other fields and Artery's envelope must fit in the frame.
 */
public final class FrameLimits {

  /** The Artery setting for the largest message on the ordinary channel. */
  public static final String MAXIMUM_FRAME_SIZE = "pekko.remote.artery.advanced.maximum-frame-size";

  /**
   * Bytes reserved beyond a batch's or chunk's payload limit: the message's own fields (terms,
   * indexes, names, the member list) and Artery's envelope (recipient and sender paths, manifest).
   */
  public static final int MESSAGE_OVERHEAD_BYTES = 8 * 1024;

  private FrameLimits() {}

  /**
   * Checks {@code settings} against the frame size in {@code systemConfig}.
   *
   * @param systemConfig the actor system's configuration
   * @param settings the peer's settings
   * @throws IllegalArgumentException naming every inconsistent setting and the frame size
   */
  public static void check(Config systemConfig, RaftSettings settings) {
    long frame;
    try {
      frame = systemConfig.getBytes(MAXIMUM_FRAME_SIZE);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(
          "invalid " + MAXIMUM_FRAME_SIZE + ": " + e.getMessage(), e);
    }
    List<String> problems = new ArrayList<>();
    check("keel.raft.max-bytes-per-append", settings.maxBytesPerAppend(), frame, problems);
    check("keel.raft.snapshot-chunk-bytes", settings.snapshotChunkBytes(), frame, problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Keel messages would not fit in an Artery frame (larger messages are dropped at the"
              + " sender): "
              + String.join("; ", problems));
    }
  }

  private static void check(String setting, long limit, long frame, List<String> problems) {
    if (limit + MESSAGE_OVERHEAD_BYTES > frame) {
      problems.add(
          setting
              + " = "
              + limit
              + " bytes plus "
              + MESSAGE_OVERHEAD_BYTES
              + " bytes of message overhead exceeds "
              + MAXIMUM_FRAME_SIZE
              + " = "
              + frame
              + " bytes; lower "
              + setting
              + " to at most "
              + Math.max(0, frame - MESSAGE_OVERHEAD_BYTES)
              + " or raise "
              + MAXIMUM_FRAME_SIZE);
    }
  }
}
