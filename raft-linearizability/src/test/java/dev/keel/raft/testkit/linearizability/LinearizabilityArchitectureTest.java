package dev.keel.raft.testkit.linearizability;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The checker is plain Java, usable on histories of any system: no Pekko, no Keel classes. Its
 * artifact, {@code raft-linearizability}, is checked the same way by a Maven Enforcer rule that
 * bans every dependency but JSpecify from its compile and runtime classpath.
 */
class LinearizabilityArchitectureTest {

  private static final String PACKAGE = "dev.keel.raft.testkit.linearizability";

  @Test
  void checkerDependsOnTheJdkAndJSpecifyOnly() {
    JavaClasses production =
        new ClassFileImporter()
            .withImportOption(new ImportOption.DoNotIncludeTests())
            .importPackages(PACKAGE);
    assertThat(production.stream().map(JavaClass::getSimpleName))
        .contains(
            "LinearizabilityChecker", "WglSearch", "PartScheduler", "HistoryRecorder", "EventLog");

    classes()
        .that()
        .resideInAPackage(PACKAGE + "..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "org.jspecify..", PACKAGE + "..")
        .because("the checker must not need an actor system or a Raft cluster")
        .check(production);
  }
}
