package dev.keel.raft.scripted;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The actor test kit of a scripted test class, in virtual time so no timer fires unless a test
 * advances it. Register it as {@code @RegisterExtension static final ScriptedTestKit kit = new
 * ScriptedTestKit();}: the actor system starts before the class's first test and stops after its
 * last. It is not started in a static initializer because PIT discovers tests by loading the
 * classes, and a kit shut down before the mutants run would kill every mutant.
 */
final class ScriptedTestKit implements BeforeAllCallback, AfterAllCallback {

  private ActorTestKit kit;

  @Override
  public void beforeAll(ExtensionContext context) {
    kit = ActorTestKit.create(ManualTime.config().withFallback(ConfigFactory.load()));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    kit.shutdownTestKit();
    kit = null;
  }

  /** The running kit; only between the class's first and last test. */
  ActorTestKit actorTestKit() {
    if (kit == null) {
      throw new IllegalStateException("the scripted test kit runs only while its class's tests do");
    }
    return kit;
  }

  <T> TestProbe<T> createTestProbe() {
    return actorTestKit().createTestProbe();
  }
}
