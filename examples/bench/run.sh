#!/usr/bin/env bash
# Keel's benchmark suite: one JSON line per result (DESIGN §6 schema) on stdout.
#
#   examples/bench/run.sh [--topology in-process|loopback-tls] [--storage memory|durable-fsync]
#                         [--scenario writes|reads|failover|codec|elections] [--clients C]
#                         [--warmup S] [--jit-warmup S] [--seconds S] [--trials N]
#                         [--client raft-client|direct]
#                         [--dir D] [--quick]
#
# No arguments: the whole matrix. Each option narrows it (comma-separated lists allowed), so one
# comparison can be rerun. --quick: a smoke run of every scenario (durable storage, C = 32, short
# windows). Builds the modules it needs on first use (reactor build, nothing installed into ~/.m2).
#
# Environment: JAVA (default java), DRIVER_OPTS (the driver JVM; it also hosts the in-process
# peers), NODE_OPTS (each loopback-tls node process; default -Xmx256m), RUN_TIMEOUT (seconds, hard
# limit for the whole run; default 7200), BENCH_LOG (driver log; default a temporary file).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
JAVA="${JAVA:-java}"
DRIVER_OPTS="${DRIVER_OPTS:--Xms2g -Xmx2g -XX:+UseG1GC}"
NODE_OPTS="${NODE_OPTS:--Xmx256m -XX:+UseG1GC}"
RUN_TIMEOUT="${RUN_TIMEOUT:-7200}"
CLASSPATH_FILE="$ROOT/examples/target/bench-classpath.txt"
MARKER="$ROOT/examples/target/classes/dev/keel/examples/bench/BenchSuite.class"

needs_build() {
  [ -f "$CLASSPATH_FILE" ] && [ -f "$MARKER" ] || return 0
  [ -n "$(find "$ROOT"/*/src/main "$ROOT"/*/pom.xml "$ROOT/pom.xml" -newer "$MARKER" -type f -print -quit)" ]
}

if needs_build; then
  echo "[run.sh] building examples and the modules it needs (mvn package, tests skipped)..." >&2
  (cd "$ROOT" && mvn -B -q package -DskipTests -Dspotless.check.skip=true -Dcheckstyle.skip=true \
      -pl examples -am dependency:build-classpath -Dmdep.outputFile="$CLASSPATH_FILE") >&2
  touch "$MARKER"
fi

LOG="${BENCH_LOG:-$(mktemp "${TMPDIR:-/tmp}/keel-bench.XXXXXX.log")}"
echo "[run.sh] driver log: $LOG" >&2
CP="$ROOT/examples/target/classes:$(cat "$CLASSPATH_FILE")"
# shellcheck disable=SC2086
timeout --kill-after=20 "$RUN_TIMEOUT" "$JAVA" $DRIVER_OPTS \
  -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 \
  -Dbench.node-jvm-options="$NODE_OPTS -Djava.util.concurrent.ForkJoinPool.common.parallelism=2" \
  -cp "$CP" dev.keel.examples.bench.BenchSuite "$@" 2>>"$LOG" \
  | while IFS= read -r line; do
      case "$line" in
        '{'*) printf '%s\n' "$line" ;;
        *) printf '%s\n' "$line" >>"$LOG" ;;
      esac
    done
rc="${PIPESTATUS[0]}"
[ -n "${BENCH_LOG:-}" ] || [ -s "$LOG" ] || rm -f "$LOG" # keep a temporary log only if it has lines
exit "$rc"
