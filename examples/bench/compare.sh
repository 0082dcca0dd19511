#!/usr/bin/env bash
# Keel against the Java Raft libraries, interleaved on the same cells of one machine: runs the peer
# harness (examples/bench/peers/run.sh) and Keel's suite (examples/bench/run.sh) cell by cell,
# alternating which goes first, REPEAT times, then prints a Markdown ratio table with the machine
# and its load. Every JSON line goes to the results file as well.
#
#   examples/bench/compare.sh [results.jsonl]
#
# Environment: REPEAT (default 2), WARMUP (5), MEASURE (10), JIT_WARMUP (20), CELLS (default: all of
#   "tls-durable:1 tls-durable:32 tls-durable:256 mem:1 mem:32 mem:256 inproc-durable:256
#    reads:256 failover"),
#   CLIENT (Keel's client path: raft-client, the default, or direct).
# JIT_WARMUP: Keel's suite writes at C = 256 for this long once per group before its first cell
#   (--jit-warmup), so its three node JVMs have compiled their hot paths; every peer run is a fresh
#   JVM, so the peer harness gets the same seconds added to its warm-up (WARMUP + JIT_WARMUP).
#   JIT_WARMUP=0 gives both sides only DESIGN §6's 5 s warm-up.
# Cells: tls-durable = Keel loopback-tls + durable-fsync vs SOFAJRaft loopback-tcp rocksdb-fsync;
#   mem = Keel in-process + memory vs MicroRaft in-process memory; inproc-durable = Keel in-process
#   + durable-fsync (target only); reads = Keel linearizable and local reads on loopback-tls durable;
#   failover = Keel's failover trials vs SOFAJRaft's failover_ms of its C = 32 runs;
#   ratis = Apache Ratis loopback-tcp (gRPC) segmented-fsync only, compared with the tls-durable
#   cells' Keel lines (add e.g. "ratis:256" to CELLS; not in the default list).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${1:-$HERE/results/compare-$(date +%Y%m%d-%H%M%S).jsonl}"
REPEAT="${REPEAT:-2}"
WARMUP="${WARMUP:-5}"
MEASURE="${MEASURE:-10}"
JIT_WARMUP="${JIT_WARMUP:-20}"
CLIENT="${CLIENT:-raft-client}"
CELLS="${CELLS:-tls-durable:1 tls-durable:32 tls-durable:256 mem:1 mem:32 mem:256 inproc-durable:256 reads:256 failover}"
mkdir -p "$(dirname "$OUT")"
: >"$OUT"

keel() {
  "$HERE/run.sh" --jit-warmup "$JIT_WARMUP" --warmup "$WARMUP" --seconds "$MEASURE" \
    --client "$CLIENT" "$@" | tee -a "$OUT"
}
peer() { # storage failover args...
  local storage="$1" failover="$2"; shift 2
  # REPEAT=1: compare.sh repeats the cells itself (the harness reads REPEAT from the environment).
  (cd "$HERE/peers" && REPEAT=1 STORAGE="$storage" FAILOVER="$failover" \
    WARMUP="$((WARMUP + JIT_WARMUP))" \
    MEASURE="$MEASURE" ./run.sh "$@") | tee -a "$OUT"
}

run_cell() { # cell order
  local cell="${1%%:*}" c="${1#*:}" order="$2"
  local k p
  case "$cell" in
    tls-durable)
      k=(keel --topology loopback-tls --storage durable-fsync --scenario writes --clients "$c")
      p=(peer rocksdb-fsync true jraft loopback-tcp "$c") ;;
    mem)
      k=(keel --topology in-process --storage memory --scenario writes --clients "$c")
      p=(peer memory false microraft in-process "$c") ;;
    ratis)
      # Ratis 3.2.0 over gRPC on loopback TCP with its segmented log (fsync): compared with the
      # tls-durable cells' Keel lines of the same run, so no Keel run of its own.
      peer segmented false ratis loopback-tcp "$c"; return ;;
    inproc-durable)
      keel --topology in-process --storage durable-fsync --scenario writes --clients "$c"; return ;;
    reads)
      keel --topology loopback-tls --storage durable-fsync --scenario reads --clients "$c"; return ;;
    failover)
      keel --topology loopback-tls --storage durable-fsync --scenario failover --trials 5; return ;;
    *) echo "unknown cell $1" >&2; return 1 ;;
  esac
  if [ "$order" = 0 ]; then "${k[@]}"; "${p[@]}"; else "${p[@]}"; "${k[@]}"; fi
}

echo "[compare.sh] results: $OUT" >&2
START_LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
for ((rep = 0; rep < REPEAT; rep++)); do
  for cell in $CELLS; do
    run_cell "$cell" $(((rep + ${#cell}) % 2)) >/dev/null
    echo "[compare.sh] rep $((rep + 1))/$REPEAT $cell done; load $(cut -d' ' -f1 /proc/loadavg)" >&2
  done
done
END_LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"

python3 "$HERE/ratio_table.py" "$OUT" "$START_LOAD" "$END_LOAD"
