package dev.keel.examples.kv;

import com.typesafe.config.ConfigFactory;
import dev.keel.examples.remote.KvNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kv-node}: runs one node of the KV store until SIGTERM or Ctrl-C, or with {@code init-tls
 * DIR} makes the cluster's TLS material. Every startup failure is one line on stderr and a distinct
 * exit code ({@link StartupException}); a node that stops on a signal exits 0.
 */
@Command(
    name = "kv-node",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    subcommands = KvNodeCommand.InitTls.class,
    description = {
      "Runs one node of Keel's replicated key-value store: a Raft peer on durable storage in"
          + " --data-dir, Raft traffic over mutual TLS on --raft-port, the HTTP API on --http-port.",
      "Restarted on the same --data-dir, the node recovers its state. SIGTERM or Ctrl-C stops it"
          + " gracefully (exit 0)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped by SIGTERM or Ctrl-C",
      "1:other startup failure",
      "2:bad flags (missing, malformed, --peers without this node)",
      "3:TLS material missing, unreadable or mismatched",
      "4:data directory of another node or cluster, not a node's, or in use",
      "5:--raft-port or --http-port in use"
    })
public final class KvNodeCommand implements Callable<Integer> {

  @Option(names = "--name", paramLabel = "NAME", description = "this node's name, e.g. n1")
  private @Nullable String name;

  @Option(names = "--raft-port", paramLabel = "PORT", description = "Raft port (mutual TLS)")
  private @Nullable Integer raftPort;

  @Option(names = "--http-port", paramLabel = "PORT", description = "HTTP API port")
  private @Nullable Integer httpPort;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "durable state of this node")
  private @Nullable Path dataDir;

  @Option(
      names = "--peers",
      paramLabel = "NAME@HOST:PORT,...",
      description = "every member's Raft address, this node included")
  private @Nullable String peers;

  @Option(names = "--tls-dir", paramLabel = "DIR", description = "made by: kv-node init-tls DIR")
  private @Nullable Path tlsDir;

  @Option(
      names = "--http-host",
      paramLabel = "HOST",
      defaultValue = "127.0.0.1",
      description =
          "interface the HTTP API listens on, and the host of its URL unless a wildcard (default: ${DEFAULT-VALUE})")
  private String httpHost = "127.0.0.1";

  /** Picocli fills the fields. */
  public KvNodeCommand() {}

  /**
   * Runs {@code kv-node} and exits with its code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs {@code kv-node}; returns the exit code (after the node stopped, if one started). */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(new KvNodeCommand());
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setParameterExceptionHandler(
        (e, arguments) -> {
          err.println("kv-node: " + e.getMessage() + " (kv-node --help lists the flags)");
          return StartupException.USAGE;
        });
    commandLine.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          if (e instanceof StartupException startup) {
            err.println("kv-node: " + startup.getMessage());
            return startup.exitCode();
          }
          err.println("kv-node: " + e);
          return StartupException.OTHER;
        });
    return commandLine.execute(args);
  }

  @Override
  public Integer call() throws StartupException {
    List<String> missing = new ArrayList<>();
    String nodeName = required(name, "--name", missing);
    Integer raft = required(raftPort, "--raft-port", missing);
    Integer http = required(httpPort, "--http-port", missing);
    Path data = required(dataDir, "--data-dir", missing);
    String members = required(peers, "--peers", missing);
    Path tls = required(tlsDir, "--tls-dir", missing);
    if (nodeName == null
        || raft == null
        || http == null
        || data == null
        || members == null
        || tls == null) {
      throw new StartupException(
          StartupException.USAGE,
          "missing " + String.join(", ", missing) + " (kv-node --help lists the flags)");
    }
    KvNodeOptions options = KvNodeOptions.of(nodeName, raft, http, data, members, tls, httpHost);
    KvStoreNode node = KvStoreNode.start(options, ConfigFactory.empty());
    GracefulExit.install(node.system());
    System.out.println(KvNode.READY + " " + nodeName + " " + node.httpUrl());
    System.out.flush();
    node.system().getWhenTerminated().toCompletableFuture().join();
    return 0;
  }

  private static <T> @Nullable T required(@Nullable T value, String flag, List<String> missing) {
    if (value == null) {
      missing.add(flag);
    }
    return value;
  }

  /** {@code kv-node init-tls DIR}: a cluster CA and key material for the nodes. */
  @Command(
      name = "init-tls",
      mixinStandardHelpOptions = true,
      description = {
        "Creates a cluster CA (DIR/ca.crt, DIR/ca.key, DIR/cluster-id) and key material for each"
            + " node (DIR/NAME/node.key, DIR/NAME/node.crt). What exists is kept: run it again"
            + " with --nodes to add nodes."
      })
  static final class InitTls implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "the TLS directory")
    private @Nullable Path dir;

    @Option(
        names = "--nodes",
        split = ",",
        paramLabel = "NAME",
        defaultValue = "n1,n2,n3",
        description = "nodes to issue key material for (default: ${DEFAULT-VALUE})")
    private List<String> nodes = List.of("n1", "n2", "n3");

    @Option(
        names = "--hosts",
        split = ",",
        paramLabel = "HOST",
        defaultValue = "127.0.0.1,localhost",
        description = "host names and IP addresses in the certificates (default: ${DEFAULT-VALUE})")
    private List<String> hosts = List.of("127.0.0.1", "localhost");

    @Option(
        names = "--days",
        paramLabel = "DAYS",
        defaultValue = "825",
        description = "validity of the node certificates (default: ${DEFAULT-VALUE})")
    private int days = 825;

    @CommandLine.Spec private CommandLine.Model.@Nullable CommandSpec spec;

    InitTls() {}

    @Override
    public Integer call() throws StartupException {
      Path target = dir;
      if (target == null) {
        throw new StartupException(StartupException.USAGE, "init-tls needs a directory");
      }
      PrintWriter out =
          spec == null ? new PrintWriter(System.out, true) : spec.commandLine().getOut();
      try {
        for (String line : TlsDir.init(target, nodes, hosts, Duration.ofDays(days))) {
          out.println(line);
        }
        out.flush();
      } catch (IOException e) {
        throw new StartupException(StartupException.TLS, "cannot write " + target + ": " + e);
      }
      return 0;
    }
  }
}
