package dev.keel.examples.kv;

import dev.keel.raft.remote.MemberAddress;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Tells other nodes this node's HTTP URL. {@code --peers} lists Raft addresses only, yet a node
 * that redirects a client to the leader needs the leader's HTTP URL: every node runs this actor at
 * the well-known path {@code /system/}{@value #ACTOR_NAME}, and the others ask it over Keel's
 * remoting (mutual TLS; both messages are registered with Keel's Kryo serializer).
 */
public final class NodeInfoService {

  /** The actor's name under {@code /system}. */
  public static final String ACTOR_NAME = "kv-node-info";

  private NodeInfoService() {}

  /**
   * Asks a node for its {@link Info}.
   *
   * @param replyTo where the answer goes
   */
  public record GetInfo(ActorRef<Info> replyTo) {}

  /**
   * What a node says about itself.
   *
   * @param name the node's name
   * @param httpUrl the base URL of its HTTP API, e.g. {@code http://127.0.0.1:8001}
   */
  public record Info(String name, String httpUrl) {}

  /** Spawns this node's service at its well-known path. */
  public static ActorRef<GetInfo> spawn(ActorSystem<?> system, Info self) {
    return system.systemActorOf(create(self), ACTOR_NAME, Props.empty());
  }

  /** The service of the node whose actor system is {@code systemName} at {@code address}. */
  public static ActorRef<GetInfo> resolve(
      ActorSystem<?> system, String systemName, MemberAddress address) {
    return ActorRefResolver.get(system)
        .resolveActorRef("pekko://" + systemName + "@" + address + "/system/" + ACTOR_NAME);
  }

  private static Behavior<GetInfo> create(Info self) {
    return Behaviors.receiveMessage(
        get -> {
          get.replyTo().tell(self);
          return Behaviors.same();
        });
  }
}
