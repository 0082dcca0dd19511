package dev.keel.raft.tls;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The TLS key material of a node and how it is used, read from {@value #PATH} (see {@code
 * reference.conf}). With {@link Format#PEM} the node reads {@code key-file}, {@code cert-file} and
 * {@code ca-file}; with {@link Format#PKCS12}, {@code key-store} and {@code trust-store} with their
 * passwords. The files are re-read every {@code reload-interval}, so renewed key material takes
 * effect without a restart.
 *
 * @param format how the key material is stored
 * @param keyFile PEM private key (PKCS#8, PKCS#1 or SEC1; encrypted if {@code keyPassword} is set)
 * @param certFile PEM certificate chain of this node, its own certificate first
 * @param caFile PEM certificates of every CA this node trusts (one, or several during a CA change)
 * @param keyPassword password of an encrypted PEM key; empty for a plain one
 * @param keyStore PKCS#12 key store with this node's key and chain
 * @param keyStorePassword password of the key store and of the key in it
 * @param trustStore PKCS#12 trust store with every CA this node trusts
 * @param trustStorePassword password of the trust store
 * @param protocol the TLS protocol version
 * @param enabledAlgorithms the cipher suites
 * @param reloadInterval how often the files are checked for new content
 * @param closeConnectionsOnChange whether connections made with replaced key material are closed
 *     (and so made again with the new material) when the files change
 * @param refusalLogInterval the same handshake failure is logged at most once per interval (0:
 *     every time)
 */
public record TlsSettings(
    Format format,
    @Nullable Path keyFile,
    @Nullable Path certFile,
    @Nullable Path caFile,
    String keyPassword,
    @Nullable Path keyStore,
    String keyStorePassword,
    @Nullable Path trustStore,
    String trustStorePassword,
    String protocol,
    List<String> enabledAlgorithms,
    Duration reloadInterval,
    boolean closeConnectionsOnChange,
    Duration refusalLogInterval) {

  /** Where the settings live in the configuration. */
  public static final String PATH = "keel.node.tls";

  /** How a node's key material is stored. */
  public enum Format {
    /** PEM files: key, certificate chain, CA certificates. */
    PEM,
    /** PKCS#12 key store and trust store with passwords. */
    PKCS12
  }

  /** Checks that the settings the format needs are present; errors name the setting. */
  public TlsSettings {
    enabledAlgorithms = List.copyOf(enabledAlgorithms);
    if (format == Format.PEM) {
      requireFile("key-file", keyFile);
      requireFile("cert-file", certFile);
      requireFile("ca-file", caFile);
    } else {
      requireFile("key-store", keyStore);
      requireFile("trust-store", trustStore);
    }
    if (reloadInterval.isNegative() || reloadInterval.isZero()) {
      throw invalid("reload-interval", "must be positive, was " + reloadInterval);
    }
    if (refusalLogInterval.isNegative()) {
      throw invalid("refusal-log-interval", "must be >= 0, was " + refusalLogInterval);
    }
    if (enabledAlgorithms.isEmpty()) {
      throw invalid("enabled-algorithms", "must name at least one cipher suite");
    }
  }

  /**
   * Reads {@value #PATH} from a full configuration (Keel's {@code reference.conf} supplies the
   * defaults).
   *
   * @throws IllegalArgumentException naming the setting that is missing or invalid
   */
  public static TlsSettings fromConfig(Config root) {
    Config c = section(root);
    Format format = readFormat(c);
    try {
      return new TlsSettings(
          format,
          path(c, "key-file"),
          path(c, "cert-file"),
          path(c, "ca-file"),
          c.getString("key-password"),
          path(c, "key-store"),
          c.getString("key-store-password"),
          path(c, "trust-store"),
          c.getString("trust-store-password"),
          c.getString("protocol"),
          c.getStringList("enabled-algorithms"),
          c.getDuration("reload-interval"),
          c.getBoolean("close-connections-on-change"),
          c.getDuration("refusal-log-interval"));
    } catch (ConfigException e) {
      throw new IllegalArgumentException("invalid " + PATH + ": " + e.getMessage(), e);
    }
  }

  /** The key material files, in a fixed order: what is watched for changes. */
  List<Path> files() {
    return format == Format.PEM
        ? List.of(present(keyFile), present(certFile), present(caFile))
        : List.of(present(keyStore), present(trustStore));
  }

  private static Config section(Config root) {
    try {
      return root.withFallback(ConfigFactory.defaultReference()).getConfig(PATH);
    } catch (ConfigException e) {
      throw new IllegalArgumentException("invalid " + PATH + ": " + e.getMessage(), e);
    }
  }

  private static Format readFormat(Config c) {
    String value;
    try {
      value = c.getString("format");
    } catch (ConfigException e) {
      throw new IllegalArgumentException("invalid " + PATH + ".format: " + e.getMessage(), e);
    }
    try {
      return Format.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid("format", "must be pem or pkcs12, was '" + value + "'");
    }
  }

  private static @Nullable Path path(Config c, String name) {
    String value = c.getString(name);
    return value.isBlank() ? null : Path.of(value);
  }

  private static Path present(@Nullable Path path) {
    if (path == null) {
      throw new IllegalStateException("validated in the constructor");
    }
    return path;
  }

  private static void requireFile(String name, @Nullable Path file) {
    if (file == null) {
      throw invalid(name, "must be set");
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw invalid(name, "is not a readable file: " + file.toAbsolutePath());
    }
  }

  static IllegalArgumentException invalid(String name, String why) {
    return new IllegalArgumentException(PATH + "." + name + " " + why);
  }
}
