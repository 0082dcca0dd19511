package dev.keel.raft.rules;

import static dev.keel.raft.rules.TestLogs.log;
import static dev.keel.raft.rules.TestLogs.terms;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CommitRulesTest {

  @Nested
  class Leader {

    // §5.3: an entry of the current term is committed once a majority stores it
    @Test
    void commitsCurrentTermEntryReplicatedOnAMajority() {
      RaftLog log = log(1, 2, 2);

      assertThat(CommitRules.leaderCommitIndex(log, 2, 1, List.of(3L, 3L, 1L))).isEqualTo(3);
    }

    @Test
    void commitsTheHighestIndexAMajorityStores() {
      RaftLog log = log(2, 2, 2, 2, 2);

      assertThat(CommitRules.leaderCommitIndex(log, 2, 0, List.of(5L, 4L, 3L, 1L, 0L)))
          .isEqualTo(3);
    }

    @Test
    void doesNotCommitWhatOnlyAMinorityStores() {
      RaftLog log = log(1, 2, 2);

      assertThat(CommitRules.leaderCommitIndex(log, 2, 1, List.of(3L, 1L, 1L))).isEqualTo(1);
      assertThat(CommitRules.leaderCommitIndex(log, 2, 1, List.of(3L, 3L, 1L, 1L))).isEqualTo(1);
    }

    // §5.4.2, Figure 8 (c): the leader of term 4 has replicated the term-2 entry at index 2 on
    // a majority, yet must not commit it by counting replicas
    @Test
    void neverCommitsAnEntryFromAnOlderTermByCountingReplicas() {
      RaftLog s1 = log(1, 2, 4);
      // S1..S5 match indexes: S1 has 1,2,4; S2 and S3 have 1,2; S4 has 1; S5 has 1,3.
      List<Long> matchIndexes = List.of(3L, 2L, 2L, 1L, 1L);

      assertThat(CommitRules.leaderCommitIndex(s1, 4, 1, matchIndexes)).isEqualTo(1);
    }

    // §5.4.2, Figure 8 (e): once an entry of its own term is on a majority, the earlier entries
    // are committed indirectly with it
    @Test
    void commitsOlderTermEntriesIndirectlyWithACurrentTermEntry() {
      RaftLog s1 = log(1, 2, 4);
      List<Long> matchIndexes = List.of(3L, 3L, 3L, 1L, 1L);

      assertThat(CommitRules.leaderCommitIndex(s1, 4, 1, matchIndexes)).isEqualTo(3);
    }

    // §8: a new leader commits nothing until its no-op of the current term is on a majority
    @Test
    void newLeaderCommitsNothingBeforeItsOwnTermHasAnEntry() {
      RaftLog log = log(1, 1, 3);

      assertThat(CommitRules.leaderCommitIndex(log, 5, 0, List.of(3L, 3L, 3L))).isZero();
    }

    @Test
    void neverMovesTheCommitIndexBackwards() {
      RaftLog log = log(1, 1, 1, 2);

      assertThat(CommitRules.leaderCommitIndex(log, 2, 4, List.of(4L, 1L, 1L))).isEqualTo(4);
    }

    @Test
    void neverCommitsPastItsOwnLastIndex() {
      RaftLog log = log(2, 2);

      assertThat(CommitRules.leaderCommitIndex(log, 2, 0, List.of(2L, 9L, 9L))).isEqualTo(2);
    }

    @Test
    void singleVoterCommitsItsOwnEntriesAtOnce() {
      RaftLog log = log(1, 1, 2);

      assertThat(CommitRules.leaderCommitIndex(log, 2, 0, List.of(3L))).isEqualTo(3);
    }

    @Test
    void emptyLogCommitsNothing() {
      assertThat(CommitRules.leaderCommitIndex(new RaftLog(), 1, 0, List.of(0L, 0L, 0L))).isZero();
    }

    // Figure 2, rules for leaders, checked against a literal reading of the rule: the largest
    // N > commitIndex with a majority of matchIndex[i] >= N and log[N].term == currentTerm.
    @Test
    void agreesWithTheLiteralFigure2Rule() {
      Seeded.forEachSeed(
          random -> {
            RaftLog log = log(Seeded.nonDecreasingTerms(random, random.nextInt(13)));
            long currentTerm = Math.max(1, log.lastTerm()) + random.nextInt(2);
            int lastIndex = (int) log.lastIndex();
            long commitIndex = random.nextInt(lastIndex + 1);
            List<Long> matchIndexes =
                LongStream.of(Seeded.values(random, 1 + random.nextInt(7), lastIndex))
                    .boxed()
                    .toList();

            long expected = commitIndex;
            for (long n = commitIndex + 1; n <= lastIndex; n++) {
              long candidate = n;
              long replicas = matchIndexes.stream().filter(m -> m >= candidate).count();
              if (replicas >= Quorum.majority(matchIndexes.size())
                  && log.termAt(n) == currentTerm) {
                expected = n;
              }
            }

            assertThat(CommitRules.leaderCommitIndex(log, currentTerm, commitIndex, matchIndexes))
                .as(
                    "terms %s, term %d, commit %d, match %s",
                    terms(log), currentTerm, commitIndex, matchIndexes)
                .isEqualTo(expected);
          });
    }
  }

  @Nested
  class Follower {

    // §5.3: commitIndex = min(leaderCommit, index of last new entry)
    @Test
    void followsTheLeadersCommitIndexWithinTheVerifiedPrefix() {
      assertThat(CommitRules.followerCommitIndex(2, 5, 7)).isEqualTo(5);
    }

    @Test
    void neverCommitsPastTheLastNewEntry() {
      assertThat(CommitRules.followerCommitIndex(2, 9, 4)).isEqualTo(4);
    }

    @Test
    void neverMovesTheCommitIndexBackwards() {
      assertThat(CommitRules.followerCommitIndex(6, 3, 8)).isEqualTo(6);
      assertThat(CommitRules.followerCommitIndex(6, 9, 2)).isEqualTo(6);
    }

    @Test
    void heartbeatWithNothingNewCommitsUpToPrevLogIndex() {
      // A heartbeat at prevLogIndex 3 verifies the prefix 1..3 only.
      assertThat(CommitRules.followerCommitIndex(0, 10, 3)).isEqualTo(3);
    }
  }
}
