package dev.keel.raft.scripted;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;

/**
 * The actor test kit of the scripted tests: virtual time, so no timer fires unless a test advances
 * it. Create one per test class in {@code @BeforeAll} (not in a static initializer: PIT discovers
 * tests by loading the classes, and a kit shut down before the mutants run kills every mutant).
 */
final class ScriptedTestKit {

  private ScriptedTestKit() {}

  static ActorTestKit create() {
    return ActorTestKit.create(ManualTime.config().withFallback(ConfigFactory.load()));
  }
}
