package dev.keel.examples.kv;

import dev.keel.raft.remote.MemberAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * The HTTP URL of every member, learnt from their {@link NodeInfoService}s and cached by name. The
 * cache is refreshed in the background every {@link #REFRESH}, so a member restarted on another
 * HTTP port is redirected to correctly again within that time; a member not heard of yet is asked
 * on demand. Thread-safe.
 */
final class MemberUrls {

  /** How often every other member is asked again. */
  static final Duration REFRESH = Duration.ofSeconds(5);

  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(2);

  private final ActorSystem<?> system;
  private final Executor executor;
  private final Map<String, ActorRef<NodeInfoService.GetInfo>> services = new TreeMap<>();
  private final Map<String, String> urls = new ConcurrentHashMap<>();

  MemberUrls(
      ActorSystem<?> system,
      String systemName,
      String self,
      String selfUrl,
      Map<String, MemberAddress> members) {
    this.system = system;
    // Callbacks of Java asks run here, not on the common ForkJoinPool (see the README).
    this.executor = system.executionContext();
    urls.put(self, selfUrl);
    members.forEach(
        (name, address) -> {
          if (!name.equals(self)) {
            services.put(name, NodeInfoService.resolve(system, systemName, address));
          }
        });
  }

  /** Asks every other member now and then every {@link #REFRESH}; cancel the result to stop. */
  Cancellable startRefreshing() {
    return system
        .scheduler()
        .scheduleAtFixedRate(
            Duration.ZERO,
            REFRESH,
            () -> services.keySet().forEach(this::ask),
            system.executionContext());
  }

  /** The URL of {@code member} if known now. */
  Optional<String> cached(String member) {
    return Optional.ofNullable(urls.get(member));
  }

  /** The URL of {@code member}: the cached one, or asked for; empty if it does not answer. */
  CompletionStage<Optional<String>> lookup(String member) {
    String known = urls.get(member);
    if (known != null) {
      return CompletableFuture.completedFuture(Optional.of(known));
    }
    return ask(member);
  }

  /** Every URL known now, by member name. */
  Map<String, String> known() {
    return new TreeMap<>(urls);
  }

  private CompletionStage<Optional<String>> ask(String member) {
    ActorRef<NodeInfoService.GetInfo> service = services.get(member);
    if (service == null) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return AskPattern.<NodeInfoService.GetInfo, NodeInfoService.Info>ask(
            service, NodeInfoService.GetInfo::new, ASK_TIMEOUT, system.scheduler())
        .handleAsync(
            (info, failure) -> {
              if (info == null || !info.name().equals(member)) {
                return Optional.<String>empty();
              }
              urls.put(member, info.httpUrl());
              return Optional.of(info.httpUrl());
            },
            executor);
  }
}
