package dev.keel.raft;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Timing and batching settings of a peer, read from {@code keel.raft} in the configuration (see
 * {@code reference.conf} for every setting and its meaning).
 *
 * @param electionTimeoutMin lower bound of the randomized election timeout
 * @param electionTimeoutMax upper bound of the randomized election timeout
 * @param heartbeatInterval how often an idle leader sends AppendEntries
 * @param preVote whether candidates run a pre-vote round first
 * @param checkQuorum whether a leader that hears from no majority steps down
 * @param maxEntriesPerAppend most entries in one AppendEntries
 * @param maxBytesPerAppend most estimated payload bytes in one AppendEntries
 * @param maxInflightAppends AppendEntries with entries in flight per follower
 * @param lostRequestTicks heartbeat intervals without an answer before requests count as lost
 * @param requestTimeout deadline of client requests
 * @param maxApplyBatch most commands in one applyBatch call
 * @param snapshotEveryEntries take a snapshot after this many applied entries; 0 never
 * @param snapshotChunkBytes size of the chunks a snapshot is sent to a follower in
 */
public record RaftSettings(
    Duration electionTimeoutMin,
    Duration electionTimeoutMax,
    Duration heartbeatInterval,
    boolean preVote,
    boolean checkQuorum,
    int maxEntriesPerAppend,
    long maxBytesPerAppend,
    int maxInflightAppends,
    int lostRequestTicks,
    Duration requestTimeout,
    int maxApplyBatch,
    long snapshotEveryEntries,
    int snapshotChunkBytes) {

  private static final String PREFIX = "keel.raft.";

  /** Validates the settings; errors name the setting. */
  public RaftSettings {
    requirePositive("election-timeout-min", electionTimeoutMin);
    requirePositive("heartbeat-interval", heartbeatInterval);
    requirePositive("request-timeout", requestTimeout);
    if (electionTimeoutMax.compareTo(electionTimeoutMin) < 0) {
      throw invalid("election-timeout-max", "must be >= election-timeout-min");
    }
    if (heartbeatInterval.multipliedBy(2).compareTo(electionTimeoutMin) > 0) {
      throw invalid("heartbeat-interval", "must be at most half of election-timeout-min");
    }
    requireAtLeastOne("max-entries-per-append", maxEntriesPerAppend);
    requireAtLeastOne("max-bytes-per-append", maxBytesPerAppend);
    requireAtLeastOne("max-inflight-appends", maxInflightAppends);
    requireAtLeastOne("lost-request-ticks", lostRequestTicks);
    requireAtLeastOne("max-apply-batch", maxApplyBatch);
    if (snapshotEveryEntries < 0) {
      throw invalid("snapshot-every-entries", "must be >= 0, was " + snapshotEveryEntries);
    }
    requireAtLeastOne("snapshot-chunk-bytes", snapshotChunkBytes);
  }

  /** The defaults from Keel's {@code reference.conf}. */
  public static RaftSettings defaults() {
    return fromConfig(ConfigFactory.defaultReference());
  }

  /**
   * Reads the {@code keel.raft} section of a full configuration, such as {@code
   * system.settings().config()}.
   *
   * @throws IllegalArgumentException naming the setting that is missing or invalid
   */
  public static RaftSettings fromConfig(Config root) {
    try {
      Config c = root.withFallback(ConfigFactory.defaultReference()).getConfig("keel.raft");
      return new RaftSettings(
          c.getDuration("election-timeout-min"),
          c.getDuration("election-timeout-max"),
          c.getDuration("heartbeat-interval"),
          c.getBoolean("pre-vote"),
          c.getBoolean("check-quorum"),
          c.getInt("max-entries-per-append"),
          c.getBytes("max-bytes-per-append"),
          c.getInt("max-inflight-appends"),
          c.getInt("lost-request-ticks"),
          c.getDuration("request-timeout"),
          c.getInt("max-apply-batch"),
          c.getLong("snapshot-every-entries"),
          (int) Math.min(Integer.MAX_VALUE, c.getBytes("snapshot-chunk-bytes")));
    } catch (ConfigException e) {
      throw new IllegalArgumentException("invalid Keel configuration: " + e.getMessage(), e);
    }
  }

  /** A copy with other election timeouts and heartbeat interval. */
  public RaftSettings withTimeouts(Duration min, Duration max, Duration heartbeat) {
    return copy(
        b -> {
          b.electionTimeoutMin = min;
          b.electionTimeoutMax = max;
          b.heartbeatInterval = heartbeat;
        });
  }

  /** A copy with another client request deadline. */
  public RaftSettings withRequestTimeout(Duration timeout) {
    return copy(b -> b.requestTimeout = timeout);
  }

  /** A copy with other AppendEntries limits. */
  public RaftSettings withAppendLimits(int maxEntries, long maxBytes, int maxInflight) {
    return copy(
        b -> {
          b.maxEntriesPerAppend = maxEntries;
          b.maxBytesPerAppend = maxBytes;
          b.maxInflightAppends = maxInflight;
        });
  }

  /** A copy with pre-vote and check-quorum switched as given. */
  public RaftSettings withElectionSafeguards(boolean enablePreVote, boolean enableCheckQuorum) {
    return copy(
        b -> {
          b.preVote = enablePreVote;
          b.checkQuorum = enableCheckQuorum;
        });
  }

  /** A copy with another number of silent heartbeat intervals before requests count as lost. */
  public RaftSettings withLostRequestTicks(int ticks) {
    return copy(b -> b.lostRequestTicks = ticks);
  }

  /** A copy with another most number of commands per {@code applyBatch} call. */
  public RaftSettings withMaxApplyBatch(int commands) {
    return copy(b -> b.maxApplyBatch = commands);
  }

  /** A copy with other snapshot settings. */
  public RaftSettings withSnapshots(long everyEntries, int chunkBytes) {
    return copy(
        b -> {
          b.snapshotEveryEntries = everyEntries;
          b.snapshotChunkBytes = chunkBytes;
        });
  }

  /** A validated copy with the changes {@code change} makes to a mutable copy of the fields. */
  private RaftSettings copy(Consumer<Fields> change) {
    Fields fields = new Fields(this);
    change.accept(fields);
    return fields.build();
  }

  /** The settings' fields, mutable, for {@link #copy}. */
  private static final class Fields {
    Duration electionTimeoutMin;
    Duration electionTimeoutMax;
    Duration heartbeatInterval;
    boolean preVote;
    boolean checkQuorum;
    int maxEntriesPerAppend;
    long maxBytesPerAppend;
    int maxInflightAppends;
    int lostRequestTicks;
    Duration requestTimeout;
    int maxApplyBatch;
    long snapshotEveryEntries;
    int snapshotChunkBytes;

    Fields(RaftSettings s) {
      electionTimeoutMin = s.electionTimeoutMin;
      electionTimeoutMax = s.electionTimeoutMax;
      heartbeatInterval = s.heartbeatInterval;
      preVote = s.preVote;
      checkQuorum = s.checkQuorum;
      maxEntriesPerAppend = s.maxEntriesPerAppend;
      maxBytesPerAppend = s.maxBytesPerAppend;
      maxInflightAppends = s.maxInflightAppends;
      lostRequestTicks = s.lostRequestTicks;
      requestTimeout = s.requestTimeout;
      maxApplyBatch = s.maxApplyBatch;
      snapshotEveryEntries = s.snapshotEveryEntries;
      snapshotChunkBytes = s.snapshotChunkBytes;
    }

    RaftSettings build() {
      return new RaftSettings(
          electionTimeoutMin,
          electionTimeoutMax,
          heartbeatInterval,
          preVote,
          checkQuorum,
          maxEntriesPerAppend,
          maxBytesPerAppend,
          maxInflightAppends,
          lostRequestTicks,
          requestTimeout,
          maxApplyBatch,
          snapshotEveryEntries,
          snapshotChunkBytes);
    }
  }

  private static void requirePositive(String name, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw invalid(name, "must be positive, was " + value);
    }
  }

  private static void requireAtLeastOne(String name, long value) {
    if (value < 1) {
      throw invalid(name, "must be >= 1, was " + value);
    }
  }

  private static IllegalArgumentException invalid(String name, String why) {
    return new IllegalArgumentException(PREFIX + name + " " + why);
  }
}
