#!/usr/bin/env bash
# Fan-out through a BroadcastChannel (issue 13, item 7): one publisher and SUBSCRIBERS subscribers in one room of
# the chat example (/chat, event-loop dispatch), measured side by side in one run:
#   single  - one edgesocket server;
#   cluster - three edgesocket servers in cluster mode and one redis-server, the subscribers spread over the three
#             in turn, the publisher on the first (its posts reach the other two through Redis pub/sub);
#   node    - the same chat logic on Node's ws (bench/servers/node/chat-server.mjs), a plain loop over the
#             room's clients, one process.
# For each: `loadgen fanout`, a closed loop (at most WINDOW messages in flight, each done when every subscriber
# has it: sustainable throughput, no buffer fills), then a fixed RATE of messages per second (latency at one load
# all can take). Interleaved over ROUNDS rounds, fresh servers each time, then a table of medians.
# CPUs: every server process (the three JVMs and redis-server in the cluster case) on SERVER_CPU, the load
# generator on CLIENT_CPU; so all three cases get one core for the server side, and the cluster's figure is
# what the cluster protocol costs on that core, not what three machines would scale to.
# Knobs: ROUNDS=2 SUBSCRIBERS=1000 WINDOW=4 WARMUP=5 MEASURE=10 RATE=50 RATE_SECONDS=10 CASES="single cluster node"
#        SERVER_CPU=0 CLIENT_CPU=1 HEAP=512m BUILD=1 PORT=18601 (18601-18603 for the cluster, 18611 for Node)
#        REDIS_PORT=18689; REPORT=bench/results/fanout-....txt prints the tables of an earlier run's raw lines. Needs a JDK 17, taskset, Debian's redis-server, node and npm.
# Usage: bench/fanout.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-2}
SUBSCRIBERS=${SUBSCRIBERS:-1000}
WINDOW=${WINDOW:-4}
WARMUP=${WARMUP:-5}
MEASURE=${MEASURE:-10}
RATE=${RATE:-50}
RATE_SECONDS=${RATE_SECONDS:-10}
CASES=${CASES:-"single cluster node"}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
HEAP=${HEAP:-512m}
BUILD=${BUILD:-1}
PORT=${PORT:-18601}
REDIS_PORT=${REDIS_PORT:-18689}
REPORT=${REPORT:-}
OUT=bench/results
mkdir -p "$OUT"
STAMP=$(date -u +%Y%m%d-%H%M)
RESULTS="$OUT/fanout-$STAMP.txt"
LOGS=$(mktemp -d)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
command -v redis-server >/dev/null || { echo "redis-server is missing (apt-get install redis-server)"; exit 2; }
command -v node >/dev/null || { echo "node is missing"; exit 2; }

if [ "$BUILD" = 1 ] && [ -z "$REPORT" ]; then
  flock /tmp/edgesocket-mvn.lock ./mvnw -q -B package -DskipTests
  flock /tmp/edgesocket-mvn.lock ./mvnw -q -B -f bench/loadgen/pom.xml package
fi
[ -n "$REPORT" ] || (cd bench/servers/node && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
LOADGEN="taskset -c $CLIENT_CPU java -Xms256m -Xmx1g -jar bench/loadgen/target/loadgen.jar"

PIDS=()
REDIS_DIR=
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -z "$REDIS_DIR" ] || rm -rf "$REDIS_DIR"
}
trap cleanup EXIT

wait_ready() { # $1 = pid, $2 = url, $3 = log
  for _ in $(seq 1 120); do
    kill -0 "$1" 2>/dev/null || { echo "a server did not start:"; tail -20 "$3"; exit 1; }
    curl -sf "$2" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "a server is not ready after 60 s: $3"; exit 1
}

port_free() { # a server of someone else on our port would answer the readiness check in our server's place
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    echo "port $1 is already in use: set PORT (and REDIS_PORT) to free ones"; exit 1
  fi
}

start_edgesocket() { # $1 = port, $2 = log, then extra JVM options
  local port=$1 log=$2
  shift 2
  port_free "$port"
  taskset -c "$SERVER_CPU" java -Xms$HEAP -Xmx$HEAP -XX:+UseG1GC -XX:+AlwaysPreTouch -Dquarkus.http.port=$port \
    '-Dedgesocket.zones."chat".websockets.max-connections=100000' \
    -Dquarkus.log.category.\"dev.edgesocket.examples\".level=WARN "$@" \
    -jar target/quarkus-app/quarkus-run.jar > "$log" 2>&1 &
  PIDS+=($!)
  wait_ready $! "http://127.0.0.1:$port/q/health/ready" "$log"
}

start_redis() {
  port_free "$REDIS_PORT"
  REDIS_DIR=$(mktemp -d)
  taskset -c "$SERVER_CPU" redis-server --port $REDIS_PORT --bind 127.0.0.1 --dir "$REDIS_DIR" --save "" \
    --appendonly no --daemonize no --logfile "$REDIS_DIR/redis.log" &
  PIDS+=($!)
  for _ in $(seq 1 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "redis-server did not start"; exit 1
}

# Starts the servers of case $1 and prints the loadgen's urls.
start_case() {
  case "$1" in
    single)
      start_edgesocket $PORT "$LOGS/single.log"
      URLS="ws://127.0.0.1:$PORT" ;;
    cluster)
      start_redis
      URLS=
      for n in 1 2 3; do
        start_edgesocket $((PORT + n)) "$LOGS/cluster-n$n.log" -Dedgesocket.cluster.enabled=true \
          -Dquarkus.redis.hosts=redis://127.0.0.1:$REDIS_PORT -Dedgesocket.cluster.node-id=n$n
        URLS="$URLS${URLS:+,}ws://127.0.0.1:$((PORT + n))"
      done ;;
    node)
      port_free $((PORT + 10))
      taskset -c "$SERVER_CPU" node bench/servers/node/chat-server.mjs $((PORT + 10)) > "$LOGS/node.log" 2>&1 &
      PIDS+=($!)
      for _ in $(seq 1 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$((PORT + 10))") 2>/dev/null && break
        sleep 0.1
      done
      URLS="ws://127.0.0.1:$((PORT + 10))" ;;
    *) echo "unknown case $1"; exit 2 ;;
  esac
}

stop_case() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  PIDS=()
  [ -z "$REDIS_DIR" ] || rm -rf "$REDIS_DIR"
  REDIS_DIR=
  sleep 1
}

# Dropped deliveries as the servers count them (edgesocket.channel.dropped), summed over the case's servers.
dropped() {
  local sum=0 port
  case "$1" in
    single) ports=$PORT ;;
    cluster) ports="$((PORT + 1)) $((PORT + 2)) $((PORT + 3))" ;;
    *) echo "-"; return ;;
  esac
  for port in $ports; do
    v=$(curl -sf "http://127.0.0.1:$port/q/metrics" | grep -E '^edgesocket_channel_dropped_total' | awk '{s += $2} END {printf "%.0f", s}')
    sum=$((sum + ${v:-0}))
  done
  echo $sum
}

START=$(date +%s)
if [ -n "$REPORT" ]; then
  RESULTS=$REPORT
  ROUNDS=$(grep -oE '^round=[0-9]+' "$RESULTS" | sort -u | wc -l)
else
{
  echo "# bench/fanout.sh, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench || echo ' (with uncommitted changes)')"
  echo "# machine: $(nproc) cores, $(java -version 2>&1 | head -1), node $(node --version), ws $(node -p 'require("./bench/servers/node/node_modules/ws/package.json").version'), $(redis-server --version | awk '{print $3}')"
  echo "# servers on CPU $SERVER_CPU (JVMs -Xms$HEAP -Xmx$HEAP), load generator on CPU $CLIENT_CPU; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# SUBSCRIBERS=$SUBSCRIBERS WINDOW=$WINDOW WARMUP=$WARMUP MEASURE=$MEASURE RATE=$RATE RATE_SECONDS=$RATE_SECONDS ROUNDS=$ROUNDS"
} | tee "$RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  for c in $CASES; do
    start_case "$c"
    LINES=$(timeout $((WARMUP + MEASURE + RATE_SECONDS + 180)) $LOADGEN fanout urls=$URLS subscribers=$SUBSCRIBERS window=$WINDOW warmup=$WARMUP seconds=$MEASURE \
      rate=$RATE rateSeconds=$RATE_SECONDS 2>"$LOGS/loadgen-$c-$round.err" | grep RESULT || true)
    DROPPED=$(dropped "$c")
    stop_case
    if [ -z "$LINES" ]; then
      echo "round=$round case=$c: the load generator gave no result:"; tail -20 "$LOGS/loadgen-$c-$round.err"; exit 1
    fi
    echo "$LINES" | sed "s/^/round=$round case=$c serverDropped=$DROPPED /" | tee -a "$RESULTS"
  done
done
fi

median() { # $1 = case, $2 = phase, $3 = field
  grep "case=$1 " "$RESULTS" | grep "phase=$2 " | grep -oE " $3=[0-9.]+" | cut -d= -f2 | sort -n \
    | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
label() {
  case "$1" in
    single) echo "edgesocket, one server" ;;
    cluster) echo "edgesocket, three servers + Redis" ;;
    node) echo "Node ws, plain loop, one process" ;;
  esac
}
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }
first=${CASES%% *}
base=$(median "$first" closed deliveriesPerSec)
{
  echo
  echo "Medians over the rounds (per case: $(for c in $CASES; do printf "%s %s " "$c" "$(grep -c "case=$c .*phase=closed" "$RESULTS")"; done| sed "s/ $//")), $SUBSCRIBERS subscribers. Closed loop: $WINDOW messages in flight, each done when all subscribers have it."
  echo "| case | deliveries/s | x $first | messages/s | p50 ms | p99 ms | all-subscribers p99 ms | missing | generator CPU |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for c in $CASES; do
    d=$(median "$c" closed deliveriesPerSec)
    echo "| $(label "$c") | $d | $(awk -v a="$d" -v b="$base" 'BEGIN { printf "%.2f", a / b }') | $(median "$c" closed completedPerSec) | $(ms "$(median "$c" closed p50us)") | $(ms "$(median "$c" closed p99us)") | $(ms "$(median "$c" closed allP99us)") | $(median "$c" closed missing) | $(median "$c" closed clientCpu) % |"
  done
  echo
  echo "Fixed rate: $RATE messages/s ($((RATE * SUBSCRIBERS)) deliveries/s), timed from when each was due."
  echo "| case | deliveries/s | p50 ms | p99 ms | p99.9 ms | all-subscribers p99 ms | p99 x $first | missing |"
  echo "|---|---|---|---|---|---|---|---|"
  bp=$(median "$first" rate p99us)
  for c in $CASES; do
    p=$(median "$c" rate p99us)
    echo "| $(label "$c") | $(median "$c" rate deliveriesPerSec) | $(ms "$(median "$c" rate p50us)") | $(ms "$p") | $(ms "$(median "$c" rate p999us)") | $(ms "$(median "$c" rate allP99us)") | $(awk -v a="$p" -v b="$bp" 'BEGIN { printf "%.2f", a / b }') | $(median "$c" rate missing) |"
  done
  echo
  [ -n "$REPORT" ] || echo "took $(( $(date +%s) - START )) s; raw lines above, server logs in $LOGS"
} | if [ -n "$REPORT" ]; then cat; else tee -a "$RESULTS"; fi
