package dev.keel.raft.remote;

import com.typesafe.config.Config;
import dev.keel.raft.PeerTransport;
import dev.keel.raft.RaftPeer;
import dev.keel.raft.RaftSettings;
import dev.keel.raft.protocol.RaftMessage;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PeerTransport} between actor systems: each member of a Raft group is a name and a {@link
 * MemberAddress}, and its peer actor lives at a well-known path on that address, {@code
 * /system/keel-<group>-<member>} ({@link #actorName}). Messages go over Pekko Artery (mutual TLS
 * when the system was started with {@link NodeSettings#actorSystemConfig}), written by Keel's Kryo
 * serializer.
 *
 * <pre>{@code
 * NodeSettings node = NodeSettings.fromConfig(config);
 * ActorSystem<Void> system =
 *     ActorSystem.create(Behaviors.empty(), node.systemName(), node.actorSystemConfig(config));
 * RemotePeerTransport transport = RemotePeerTransport.create(system, node, "orders");
 * ActorRef<RaftPeer.Command> peer = transport.spawnPeer(
 *     RaftPeer.setup(node.name(), node.memberNames(), transport, storage, Orders::new)
 *         .settings(RaftSettings.fromConfig(system.settings().config())).build());
 * RaftClient<Order, Query, Result> client = RaftClient.create(system, transport.peers());
 * }</pre>
 *
 * <p><b>Delivery</b> is Artery's: best effort, in order per pair of nodes, nothing resent. A member
 * that is down or restarting loses what is sent meanwhile, and Raft resends what matters. Each
 * destination buffers at most {@code pekko.remote.artery.advanced.outbound-message-queue-size}
 * messages while its connection is being made; beyond that, messages are dropped. References are
 * resolved by path without an incarnation id, so a member restarted at the same address (a new
 * actor system) receives messages again as soon as Artery's handshake with it completes; the
 * quarantine of the old incarnation does not apply to the new one.
 *
 * <p><b>Names are the identity</b>; an address is a property of a member: {@link #moveMember}
 * points a name at a new address, for membership changes.
 *
 * <p>Thread-safe.
 */
public final class RemotePeerTransport implements PeerTransport {

  private static final Logger LOG = LoggerFactory.getLogger(RemotePeerTransport.class);
  private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  private final ActorSystem<?> system;
  private final ActorRefResolver resolver;
  private final String group;
  private final String self;
  private final Map<String, MemberAddress> addresses = new ConcurrentHashMap<>();
  private final Map<String, ActorRef<RaftPeer.Command>> references = new ConcurrentHashMap<>();

  private RemotePeerTransport(ActorSystem<?> system, String group, String self) {
    this.system = system;
    this.resolver = ActorRefResolver.get(system);
    this.group = group;
    this.self = self;
  }

  /**
   * The transport of the node {@code node} describes, for Raft group {@code group}.
   *
   * @param system the node's actor system, started with {@link NodeSettings#actorSystemConfig}
   * @throws IllegalArgumentException if the system has no remoting, or its frame size cannot carry
   *     Keel's messages with the system's {@code keel.raft} settings ({@link FrameLimits})
   */
  public static RemotePeerTransport create(ActorSystem<?> system, NodeSettings node, String group) {
    return create(system, node.name(), node.members(), group);
  }

  /**
   * The transport of member {@code self} of Raft group {@code group}.
   *
   * @param system the actor system of {@code self}, with Artery remoting
   * @param members every member's canonical address, {@code self} included
   * @throws IllegalArgumentException if the system has no remoting, a name is invalid, or the frame
   *     size cannot carry Keel's messages with the system's {@code keel.raft} settings
   */
  public static RemotePeerTransport create(
      ActorSystem<?> system, String self, Map<String, MemberAddress> members, String group) {
    if (!GROUP.matcher(group).matches()) {
      throw new IllegalArgumentException(
          "a group name must be letters, digits, '_', '.' or '-', was '" + group + "'");
    }
    if (!members.containsKey(self)) {
      throw new IllegalArgumentException("members " + members.keySet() + " must include " + self);
    }
    Config config = system.settings().config();
    String provider = config.getString("pekko.actor.provider");
    if (!provider.equals("remote") && !provider.equals("cluster")) {
      throw new IllegalArgumentException(
          "the actor system has no remoting (pekko.actor.provider = "
              + provider
              + "): start it with NodeSettings.actorSystemConfig");
    }
    FrameLimits.check(config, RaftSettings.fromConfig(config));
    if (!config.getString("pekko.remote.artery.transport").equals("tls-tcp")) {
      LOG.warn(
          "INSECURE: Keel remoting of {} runs WITHOUT TLS (pekko.remote.artery.transport = {});"
              + " anyone who can reach its port can send it messages. For tests only.",
          self,
          config.getString("pekko.remote.artery.transport"));
    }
    RemotePeerTransport transport = new RemotePeerTransport(system, group, self);
    members.forEach(transport::moveMember);
    return transport;
  }

  /**
   * References to the peers of Raft group {@code group} at the given addresses, for a process that
   * is not a member, e.g. one that only runs a {@code RaftClient}. Its actor system needs remoting
   * (and a certificate from the cluster's CA): start it with {@link NodeSettings#actorSystemConfig}
   * of settings whose only member is the client itself.
   */
  public static Map<String, ActorRef<RaftPeer.Command>> peers(
      ActorSystem<?> system, String group, Map<String, MemberAddress> members) {
    ActorRefResolver resolver = ActorRefResolver.get(system);
    Map<String, ActorRef<RaftPeer.Command>> peers = new TreeMap<>();
    members.forEach(
        (member, address) ->
            peers.put(
                member, resolver.resolveActorRef(path(system.name(), group, member, address))));
    return Map.copyOf(peers);
  }

  /** The actor name of {@code member}'s peer of Raft group {@code group}, under {@code /system}. */
  public static String actorName(String group, String member) {
    return "keel-" + group + "-" + member;
  }

  /**
   * Spawns this node's peer at its well-known path, after checking {@code setup}'s byte limits
   * against the frame size.
   *
   * @throws IllegalArgumentException if {@code setup} is not this node's, or its limits do not fit
   *     in a frame ({@link FrameLimits})
   */
  public ActorRef<RaftPeer.Command> spawnPeer(RaftPeer.Setup<?, ?, ?> setup) {
    if (!setup.id().equals(self)) {
      throw new IllegalArgumentException(
          "this transport belongs to " + self + ", not to " + setup.id());
    }
    if (!setup.members().stream().allMatch(addresses::containsKey)) {
      throw new IllegalArgumentException(
          "members " + setup.members() + " must all have addresses; known: " + addresses.keySet());
    }
    FrameLimits.check(system.settings().config(), setup.settings());
    ActorRef<RaftPeer.Command> peer =
        system.systemActorOf(RaftPeer.create(setup), actorName(group, self), Props.empty());
    references.put(self, peer);
    return peer;
  }

  @Override
  public void send(String to, RaftMessage message) {
    ActorRef<RaftPeer.Command> target = references.get(to);
    if (target != null) {
      target.tell(message);
    }
  }

  @Override
  public @Nullable ActorRef<RaftPeer.Command> resolve(String peerId) {
    return references.get(peerId);
  }

  /**
   * Every member's peer reference (this node's own once {@link #spawnPeer} made it): what a {@code
   * RaftClient} needs.
   */
  public Map<String, ActorRef<RaftPeer.Command>> peers() {
    return Map.copyOf(new TreeMap<>(references));
  }

  /** Every member's address. */
  public Map<String, MemberAddress> addresses() {
    return Map.copyOf(addresses);
  }

  /**
   * Points {@code member} at {@code address} (adding it if it is new): later messages go there. The
   * name stays the member's identity.
   */
  public void moveMember(String member, MemberAddress address) {
    addresses.put(member, address);
    if (!member.equals(self)) {
      references.put(member, resolver.resolveActorRef(path(system.name(), group, member, address)));
    }
  }

  /** The full path of {@code member}'s peer actor at {@code address}. */
  private static String path(
      String systemName, String group, String member, MemberAddress address) {
    return "pekko://" + systemName + "@" + address + "/system/" + actorName(group, member);
  }
}
