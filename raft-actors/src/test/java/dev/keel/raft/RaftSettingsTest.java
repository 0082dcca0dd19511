package dev.keel.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RaftSettingsTest {

  @Test
  void defaultsComeFromReferenceConf() {
    RaftSettings settings = RaftSettings.defaults();
    assertThat(settings.electionTimeoutMin()).isEqualTo(Duration.ofMillis(250));
    assertThat(settings.electionTimeoutMax()).isEqualTo(Duration.ofMillis(500));
    assertThat(settings.heartbeatInterval()).isEqualTo(Duration.ofMillis(50));
    assertThat(settings.preVote()).isTrue();
    assertThat(settings.checkQuorum()).isTrue();
    assertThat(settings.maxBytesPerAppend()).isEqualTo(128 * 1024);
    assertThat(settings.snapshotChunkBytes()).isEqualTo(64 * 1024);
  }

  @Test
  void applicationConfigOverridesDefaults() {
    RaftSettings settings =
        RaftSettings.fromConfig(
            ConfigFactory.parseString(
                "keel.raft { election-timeout-min = 2s, election-timeout-max = 3s,"
                    + " max-inflight-appends = 2 }"));
    assertThat(settings.electionTimeoutMin()).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.maxInflightAppends()).isEqualTo(2);
    assertThat(settings.heartbeatInterval()).isEqualTo(Duration.ofMillis(50));
  }

  @Test
  void invalidValuesAreReportedWithTheSettingsName() {
    assertThatThrownBy(
            () ->
                RaftSettings.fromConfig(
                    ConfigFactory.parseString("keel.raft.heartbeat-interval = 400ms")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keel.raft.heartbeat-interval");
    assertThatThrownBy(
            () ->
                RaftSettings.fromConfig(
                    ConfigFactory.parseString("keel.raft.max-inflight-appends = lots")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max-inflight-appends");
    assertThatThrownBy(
            () ->
                RaftSettings.defaults()
                    .withTimeouts(
                        Duration.ofMillis(300), Duration.ofMillis(200), Duration.ofMillis(50)))
        .hasMessageContaining("keel.raft.election-timeout-max");
  }

  @Test
  void copiesChangeOnlyWhatTheyName() {
    RaftSettings base = RaftSettings.defaults();
    RaftSettings copy = base.withSnapshots(0, 1024).withLostRequestTicks(7);
    assertThat(copy.snapshotEveryEntries()).isZero();
    assertThat(copy.snapshotChunkBytes()).isEqualTo(1024);
    assertThat(copy.lostRequestTicks()).isEqualTo(7);
    assertThat(
            copy.withSnapshots(base.snapshotEveryEntries(), base.snapshotChunkBytes())
                .withLostRequestTicks(base.lostRequestTicks()))
        .isEqualTo(base);
  }
}
