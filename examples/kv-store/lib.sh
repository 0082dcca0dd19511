# Sourced by kv-node, kv and run.sh: finds the repository, builds on first use, runs a JVM.
# Not meant to be run by itself.

KV_STORE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KEEL_ROOT="$(cd "$KV_STORE_DIR/../.." && pwd)"
KV_BUILD_DIR="$KEEL_ROOT/examples/target/kv-store"
KV_CLASSPATH_FILE="$KV_BUILD_DIR/classpath.txt"

# Whether the classpath file is missing or older than any source or pom of the modules it needs.
kv_build_needed() {
  [[ -f "$KV_CLASSPATH_FILE" && -d "$KEEL_ROOT/examples/target/classes" ]] || return 0
  local newer
  newer="$(find "$KEEL_ROOT/pom.xml" "$KEEL_ROOT"/raft-*/pom.xml "$KEEL_ROOT"/raft-*/src/main \
    "$KEEL_ROOT/examples/pom.xml" "$KEEL_ROOT/examples/src/main" \
    -newer "$KV_CLASSPATH_FILE" -print -quit 2>/dev/null)"
  [[ -n "$newer" ]]
}

# Builds the modules with Maven (a reactor build: nothing is installed into ~/.m2) and writes the
# runtime classpath, unless it is up to date. KEEL_KV_CLASSPATH (used by tests) skips all this.
kv_ensure_built() {
  [[ -n "${KEEL_KV_CLASSPATH:-}" ]] && return 0
  kv_build_needed || return 0
  if ! command -v mvn >/dev/null 2>&1; then
    echo "kv-store: Maven (mvn) is needed to build Keel on first use" >&2
    exit 1
  fi
  mkdir -p "$KV_BUILD_DIR"
  if command -v flock >/dev/null 2>&1; then
    # One build at a time (nodes started together on first use); fd 9 is closed before exec.
    exec 9>"$KV_BUILD_DIR/build.lock"
    flock 9
    if ! kv_build_needed; then
      exec 9>&-
      return 0
    fi
  fi
  echo "kv-store: building Keel (first use or sources changed; a few minutes the first time)..." >&2
  if ! (cd "$KEEL_ROOT" && mvn -B -q -Dstyle.color=never -pl examples -am package -Dmaven.test.skip=true \
      dependency:build-classpath -Dmdep.includeScope=runtime \
      -Dmdep.outputFile="$KV_CLASSPATH_FILE.tmp") >&2; then
    echo "kv-store: the build failed (see the output above)" >&2
    exit 1
  fi
  mv "$KV_CLASSPATH_FILE.tmp" "$KV_CLASSPATH_FILE"
  exec 9>&- 2>/dev/null || true
  echo "kv-store: built" >&2
}

kv_classpath() {
  if [[ -n "${KEEL_KV_CLASSPATH:-}" ]]; then
    printf '%s' "$KEEL_KV_CLASSPATH"
  else
    printf '%s:%s' "$KEEL_ROOT/examples/target/classes" "$(cat "$KV_CLASSPATH_FILE")"
  fi
}

# kv_exec_java "JVM OPTIONS" MAIN_CLASS ARGS...: replaces this shell with the JVM.
# ForkJoinPool.common.parallelism=2: on machines with fewer than 3 CPUs the JDK would otherwise
# start a thread per CompletableFuture callback (README, "Running on small machines").
kv_exec_java() {
  local options="$1" main="$2"
  shift 2
  kv_ensure_built
  local java="java"
  [[ -n "${JAVA_HOME:-}" ]] && java="$JAVA_HOME/bin/java"
  # shellcheck disable=SC2086 # the options are words on purpose
  exec "$java" -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 $options \
    -cp "$(kv_classpath)" "$main" "$@"
}
