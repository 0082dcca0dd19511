package dev.keel.raft;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.keel.raft.rules.RaftLog;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The rule classes are pure decisions: no actors, I/O, clocks, threads or logging. */
class RulesArchitectureTest {

  private static final String RULES_PACKAGE = "dev.keel.raft.rules";

  private static final JavaClasses PRODUCTION_RULES =
      new ClassFileImporter()
          .withImportOption(new ImportOption.DoNotIncludeTests())
          .importPackages(RULES_PACKAGE);

  static ArchRule dependOnNoActorsIoClocksConcurrencyOrLogging(String packageIdentifier) {
    return noClasses()
        .that()
        .resideInAPackage(packageIdentifier)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.pekko..",
            "java.io..",
            "java.nio..",
            "java.net..",
            "java.time..",
            "java.util.concurrent..",
            "org.slf4j..")
        .because("rule classes are pure decisions that the role behaviors carry out");
  }

  static ArchRule readNoClockAndNeverSleep(String packageIdentifier) {
    return noClasses()
        .that()
        .resideInAPackage(packageIdentifier)
        .should()
        .callMethodWhere(
            target(owner(type(System.class)))
                .and(target(nameMatching("nanoTime|currentTimeMillis"))))
        .orShould()
        .callMethodWhere(target(owner(type(Thread.class))).and(target(name("sleep"))))
        .because("time reaches the rules only as arguments, so tests stay deterministic");
  }

  @Test
  void importsTheProductionRuleClassesAndNoTests() {
    assertThat(PRODUCTION_RULES.stream().map(JavaClass::getSimpleName))
        .contains(
            "RaftLog",
            "VoteRules",
            "LogMatching",
            "AppendDecision",
            "Quorum",
            "CommitRules",
            "VoteTally",
            "DurabilityTracker",
            "ReplicationProgress",
            "ReadIndexTracker")
        .noneMatch(simpleName -> simpleName.endsWith("Test"));
    assertThat(PRODUCTION_RULES.contain(RaftLog.class)).isTrue();
  }

  @Test
  void rulesDependOnNoActorsIoClocksConcurrencyOrLogging() {
    dependOnNoActorsIoClocksConcurrencyOrLogging(RULES_PACKAGE + "..").check(PRODUCTION_RULES);
  }

  @Test
  void rulesReadNoClockAndNeverSleep() {
    readNoClockAndNeverSleep(RULES_PACKAGE + "..").check(PRODUCTION_RULES);
  }

  // The checks above must be able to fail: each rule is applied to a class that breaks it.

  @Test
  void dependencyRuleCatchesAClassUsingTheClock() {
    JavaClasses impure = new ClassFileImporter().importClasses(ClockReadingRule.class);

    assertThatThrownBy(
            () -> dependOnNoActorsIoClocksConcurrencyOrLogging("dev.keel.raft..").check(impure))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("java.time.Instant");
  }

  @Test
  void clockRuleCatchesAClassReadingTheSystemClock() {
    JavaClasses impure = new ClassFileImporter().importClasses(ClockReadingRule.class);

    assertThatThrownBy(() -> readNoClockAndNeverSleep("dev.keel.raft..").check(impure))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("System.nanoTime()")
        .hasMessageContaining("System.currentTimeMillis()");
  }

  @Test
  void clockRuleCatchesAClassThatSleeps() {
    // TimeUnit.sleep calls Thread.sleep; using the JDK's class keeps Thread.sleep out of tests.
    JavaClasses sleeping = new ClassFileImporter().importClasses(TimeUnit.class);

    assertThatThrownBy(() -> readNoClockAndNeverSleep("java.util.concurrent..").check(sleeping))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("java.lang.Thread.sleep");
  }

  /** Breaks both rules; only ever imported, never run. */
  static final class ClockReadingRule {
    long now() {
      return System.nanoTime() + System.currentTimeMillis() + Instant.now().toEpochMilli();
    }
  }
}
