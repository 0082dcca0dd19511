package dev.keel.raft.remote;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.keel.raft.tls.KeelSslEngineProvider;
import dev.keel.raft.tls.TlsSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One node of a Keel cluster, read from the {@value #PATH} block of its configuration (documented
 * in {@code reference.conf} and the README): its name, every member's name and address, where it
 * listens, and its TLS key material.
 *
 * <pre>{@code
 * NodeSettings node = NodeSettings.fromConfig(config);
 * ActorSystem<Void> system =
 *     ActorSystem.create(Behaviors.empty(), node.systemName(), node.actorSystemConfig(config));
 * }</pre>
 *
 * @param name this node's name: its identity in the Raft group
 * @param systemName the actor system's name, the same on every node
 * @param members every voting member's name and canonical address, this node's included
 * @param bindHostname the interface this node listens on
 * @param bindPort the port this node listens on (0: any free port)
 * @param tls the key material; null only with plaintext remoting
 * @param reconnectBackoff the first pause before a lost connection is made again
 */
public record NodeSettings(
    String name,
    String systemName,
    Map<String, MemberAddress> members,
    String bindHostname,
    int bindPort,
    @Nullable TlsSettings tls,
    Duration reconnectBackoff) {

  /** Where the settings live in the configuration. */
  public static final String PATH = "keel.node";

  /** The setting that turns TLS off; for tests only. */
  public static final String PLAINTEXT_SETTING =
      PATH + ".insecure-plaintext-remoting-for-tests-only";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
  private static final Pattern SYSTEM_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

  /** Checks the values; errors name the setting. */
  public NodeSettings {
    members = Map.copyOf(members);
    if (!NAME.matcher(name).matches()) {
      throw invalid("name", "must be letters, digits, '_', '.' or '-', was '" + name + "'");
    }
    if (!SYSTEM_NAME.matcher(systemName).matches()) {
      throw invalid("system-name", "must be letters, digits, '_' or '-', was '" + systemName + "'");
    }
    if (members.isEmpty()) {
      throw invalid("members", "must list every member as name = \"host:port\"");
    }
    for (String member : members.keySet()) {
      if (!NAME.matcher(member).matches()) {
        throw invalid(
            "members", "names must be letters, digits, '_', '.' or '-', was '" + member + "'");
      }
    }
    if (!members.containsKey(name)) {
      throw invalid("members", "must include this node, '" + name + "'; has " + members.keySet());
    }
    if (bindHostname.isBlank()) {
      throw invalid("bind.hostname", "cannot be empty");
    }
    if (bindPort < 0 || bindPort > 65_535) {
      throw invalid("bind.port", "must be 0-65535, was " + bindPort);
    }
    if (reconnectBackoff.isNegative() || reconnectBackoff.isZero()) {
      throw invalid("reconnect-backoff", "must be positive, was " + reconnectBackoff);
    }
  }

  /**
   * Reads {@value #PATH} from a full configuration (Keel's {@code reference.conf} supplies the
   * defaults). Loads the TLS key material once, so a wrong path or password fails here, naming the
   * setting, rather than when the actor system starts.
   *
   * @throws IllegalArgumentException naming the setting that is missing or invalid
   */
  public static NodeSettings fromConfig(Config root) {
    Config full = root.withFallback(ConfigFactory.defaultReference());
    Config c = section(full);
    String name = string(c, "name");
    Map<String, MemberAddress> members = members(c);
    MemberAddress self = members.get(name);
    String bindHostname = string(c, "bind.hostname");
    String bindPort = string(c, "bind.port");
    boolean plaintext = bool(c, "insecure-plaintext-remoting-for-tests-only");
    return new NodeSettings(
        name,
        string(c, "system-name"),
        members,
        bindHostname.isBlank() && self != null ? self.host() : bindHostname,
        bindPort.isBlank() ? (self == null ? 0 : self.port()) : port("bind.port", bindPort),
        plaintext ? null : TlsSettings.fromConfig(full),
        duration(c, "reconnect-backoff"));
  }

  /** This node's canonical (advertised) address: its own entry in {@link #members()}. */
  public MemberAddress canonicalAddress() {
    MemberAddress self = members.get(name);
    if (self == null) {
      throw new IllegalStateException("checked in the constructor");
    }
    return self;
  }

  /** The members' names, sorted: the member list to give {@code RaftPeer.setup}. */
  public List<String> memberNames() {
    return members.keySet().stream().sorted().toList();
  }

  /** Whether remoting runs without TLS ({@value #PLAINTEXT_SETTING}); for tests only. */
  public boolean plaintext() {
    return tls == null;
  }

  /**
   * The configuration to start this node's actor system with: Artery remoting on the canonical and
   * bind addresses, over mutual TLS with {@link KeelSslEngineProvider} (plain TCP only with {@value
   * #PLAINTEXT_SETTING}), untrusted mode on, Java serialization off; then {@code base}.
   */
  public Config actorSystemConfig(Config base) {
    Map<String, Object> pekko = new HashMap<>();
    pekko.put("pekko.actor.provider", "remote");
    pekko.put("pekko.actor.allow-java-serialization", "off");
    pekko.put("pekko.remote.warn-about-direct-use", "off");
    pekko.put("pekko.remote.artery.enabled", "on");
    pekko.put("pekko.remote.artery.transport", plaintext() ? "tcp" : "tls-tcp");
    pekko.put("pekko.remote.artery.canonical.hostname", canonicalAddress().host());
    pekko.put("pekko.remote.artery.canonical.port", canonicalAddress().port());
    pekko.put("pekko.remote.artery.bind.hostname", bindHostname);
    pekko.put("pekko.remote.artery.bind.port", bindPort);
    pekko.put("pekko.remote.artery.ssl.ssl-engine-provider", KeelSslEngineProvider.class.getName());
    // A peer may send only to actors it holds references to: no PoisonPill, Kill or actor
    // selections from other nodes.
    pekko.put("pekko.remote.artery.untrusted-mode", "on");
    pekko.put(
        "pekko.remote.artery.advanced.outbound-restart-backoff",
        reconnectBackoff.toMillis() + "ms");
    return ConfigFactory.parseMap(pekko, "keel.node (" + name + ")").withFallback(base);
  }

  private static Map<String, MemberAddress> members(Config c) {
    Map<String, MemberAddress> members = new TreeMap<>();
    try {
      for (Map.Entry<String, ConfigValue> entry : c.getObject("members").entrySet()) {
        ConfigValue value = entry.getValue();
        if (value.valueType() != ConfigValueType.STRING) {
          throw invalid(
              "members." + entry.getKey(), "must be \"host:port\", was " + value.render());
        }
        try {
          members.put(entry.getKey(), MemberAddress.parse((String) value.unwrapped()));
        } catch (IllegalArgumentException e) {
          throw invalid("members." + entry.getKey(), e.getMessage());
        }
      }
    } catch (ConfigException e) {
      throw invalid("members", e.getMessage());
    }
    return members;
  }

  private static int port(String setting, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw invalid(setting, "must be a port number or empty, was '" + value + "'");
    }
  }

  private static Config section(Config full) {
    try {
      return full.getConfig(PATH);
    } catch (ConfigException e) {
      throw new IllegalArgumentException("invalid " + PATH + ": " + e.getMessage(), e);
    }
  }

  private static String string(Config c, String setting) {
    try {
      return c.getString(setting);
    } catch (ConfigException e) {
      throw invalid(setting, e.getMessage());
    }
  }

  private static boolean bool(Config c, String setting) {
    try {
      return c.getBoolean(setting);
    } catch (ConfigException e) {
      throw invalid(setting, e.getMessage());
    }
  }

  private static Duration duration(Config c, String setting) {
    try {
      return c.getDuration(setting);
    } catch (ConfigException e) {
      throw invalid(setting, e.getMessage());
    }
  }

  private static IllegalArgumentException invalid(String setting, @Nullable String why) {
    return new IllegalArgumentException(PATH + "." + setting + " " + why);
  }
}
