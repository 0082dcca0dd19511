#!/usr/bin/env bash
# A three-node Keel KV store on loopback (README: "The KV store"). From the repository root:
#   examples/kv-store/run.sh
# Builds on first use, makes TLS material if there is none, starts n1, n2, n3 (Raft ports
# 2551-2553, HTTP 8001-8003) with their data under KV_DEMO_DIR (default examples/kv-store/demo),
# waits for a leader, prints how to talk to the cluster, then every node's status every
# KV_STATUS_EVERY (default 5s). Ctrl-C stops the nodes gracefully (SIGTERM) and exits. Run it again
# and the nodes recover their data. KV_RAFT_PORTS and KV_HTTP_PORTS (three comma-separated ports
# each) move the cluster off the default ports; run.sh then prints the kv commands with --nodes.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DEMO_DIR="${KV_DEMO_DIR:-$KV_STORE_DIR/demo}"
STATUS_EVERY="${KV_STATUS_EVERY:-5s}"
NAMES=(n1 n2 n3)
IFS=, read -r -a RAFT_PORTS <<<"${KV_RAFT_PORTS:-2551,2552,2553}"
IFS=, read -r -a HTTP_PORTS <<<"${KV_HTTP_PORTS:-8001,8002,8003}"
if ((${#RAFT_PORTS[@]} != 3 || ${#HTTP_PORTS[@]} != 3)); then
  echo "run.sh: KV_RAFT_PORTS and KV_HTTP_PORTS must list three ports each" >&2
  exit 2
fi
PEERS="n1@127.0.0.1:${RAFT_PORTS[0]},n2@127.0.0.1:${RAFT_PORTS[1]},n3@127.0.0.1:${RAFT_PORTS[2]}"
NODES="http://127.0.0.1:${HTTP_PORTS[0]},http://127.0.0.1:${HTTP_PORTS[1]},http://127.0.0.1:${HTTP_PORTS[2]}"
KV_FLAGS=""
if [[ "$NODES" != "http://127.0.0.1:8001,http://127.0.0.1:8002,http://127.0.0.1:8003" ]]; then
  KV_FLAGS=" --nodes $NODES"
fi
KV="$KV_STORE_DIR/kv"
KV_NODE="$KV_STORE_DIR/kv-node"
PIDS=()
WATCH_PID=""

for port in "${RAFT_PORTS[@]}" "${HTTP_PORTS[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "run.sh: port $port on 127.0.0.1 is in use (is another run.sh running?): stop it first" >&2
    exit 1
  fi
done

kv_ensure_built
mkdir -p "$DEMO_DIR/logs"
DEMO_DIR="$(cd "$DEMO_DIR" && pwd)"
if [[ ! -f "$DEMO_DIR/tls/ca.crt" ]]; then
  "$KV_NODE" init-tls "$DEMO_DIR/tls" --nodes n1,n2,n3 | sed 's/^/run.sh: /'
fi

stop_nodes() {
  trap - INT TERM
  echo
  echo "run.sh: stopping the nodes (SIGTERM: each answers what it holds and closes its storage)"
  if [[ -n "$WATCH_PID" ]]; then
    kill "$WATCH_PID" 2>/dev/null || true
  fi
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  local deadline=$((SECONDS + 30)) code
  for i in "${!PIDS[@]}"; do
    while kill -0 "${PIDS[i]}" 2>/dev/null && ((SECONDS < deadline)); do
      sleep 0.2
    done
    if kill -0 "${PIDS[i]}" 2>/dev/null; then
      echo "run.sh: ${NAMES[i]} did not stop within 30 s: SIGKILL"
      kill -KILL "${PIDS[i]}" 2>/dev/null || true
    fi
    code=0
    wait "${PIDS[i]}" 2>/dev/null || code=$?
    echo "run.sh: ${NAMES[i]} stopped (exit $code)"
  done
  echo "run.sh: data kept in $DEMO_DIR; run.sh again continues from it"
}
trap 'stop_nodes; exit 0' INT TERM

for i in "${!NAMES[@]}"; do
  "$KV_NODE" --name "${NAMES[i]}" --raft-port "${RAFT_PORTS[i]}" --http-port "${HTTP_PORTS[i]}" \
    --data-dir "$DEMO_DIR/${NAMES[i]}" --peers "$PEERS" --tls-dir "$DEMO_DIR/tls" \
    >"$DEMO_DIR/logs/${NAMES[i]}.log" 2>&1 &
  PIDS+=("$!")
  echo "run.sh: started ${NAMES[i]} (pid $!): Raft 127.0.0.1:${RAFT_PORTS[i]}," \
    "HTTP http://127.0.0.1:${HTTP_PORTS[i]}, log $DEMO_DIR/logs/${NAMES[i]}.log"
done

if ! leader="$("$KV" leader --nodes "$NODES" --timeout 120s)"; then
  echo "run.sh: no leader within 120 s; the nodes' logs:" >&2
  tail -n 20 "$DEMO_DIR"/logs/*.log >&2 || true
  stop_nodes
  exit 1
fi

cat <<USAGE
run.sh: the cluster is up; leader: $leader
run.sh: data, TLS material and logs: $DEMO_DIR

Talk to it (from the repository root, in another terminal):
  examples/kv-store/kv put greeting hello$KV_FLAGS
  examples/kv-store/kv get greeting$KV_FLAGS
  examples/kv-store/kv cas greeting hello hi$KV_FLAGS
  examples/kv-store/kv get greeting --stale -w json$KV_FLAGS
  examples/kv-store/kv status -w table$KV_FLAGS
  curl -i http://127.0.0.1:${HTTP_PORTS[0]}/kv/greeting
  curl -i -X PUT --data-binary hello http://127.0.0.1:${HTTP_PORTS[1]}/kv/greeting   (307 unless n2 leads)
  curl -L -X PUT --data-binary hi http://127.0.0.1:${HTTP_PORTS[2]}/kv/greeting      (-L follows to the leader)
  curl -s http://127.0.0.1:${HTTP_PORTS[0]}/_status

Every node's status every $STATUS_EVERY below. Ctrl-C stops the nodes.
USAGE

"$KV" status --nodes "$NODES" --watch "$STATUS_EVERY" &
WATCH_PID=$!
while kill -0 "$WATCH_PID" 2>/dev/null; do
  wait "$WATCH_PID" || true
done
stop_nodes
