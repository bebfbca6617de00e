#!/usr/bin/env bash
# What cluster mode costs: upgrades per second and upgrade latency (closed loop of connect, handshake, close),
# and echo messages per second (cluster mode adds nothing per message), for one server without and with
# cluster mode, interleaved over ROUNDS rounds in one run, then a table of medians.
# The server runs on CPU 0 (fixed, pre-touched 512 MB heap); the load generator and redis-server (append-only
# file on, its own folder) share CPU 1, so the server's core measures only the server.
# Knobs: ROUNDS=3 WARMUP=5 MEASURE=10 CONCURRENCY=16 CONNECTIONS=100 IN_FLIGHT=4. Needs a JDK 17, taskset and
# Debian's redis-server. Usage: bench/cluster.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-5}
MEASURE=${MEASURE:-10}
CONCURRENCY=${CONCURRENCY:-16}
CONNECTIONS=${CONNECTIONS:-100}
IN_FLIGHT=${IN_FLIGHT:-4}
PORT=${PORT:-18091}
REDIS_PORT=${REDIS_PORT:-18379}
OUT=bench/results
mkdir -p "$OUT"
RESULTS="$OUT/cluster-$(date -u +%Y%m%d-%H%M).txt"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
command -v redis-server >/dev/null || { echo "redis-server is missing (apt-get install redis-server)"; exit 2; }

./mvnw -q -B package -DskipTests
./mvnw -q -B -f bench/loadgen/pom.xml package
LOADGEN="taskset -c 1 java -Xms256m -Xmx1g -jar bench/loadgen/target/loadgen.jar"

REDIS_DIR=$(mktemp -d)
taskset -c 1 redis-server --port $REDIS_PORT --bind 127.0.0.1 --dir "$REDIS_DIR" --appendonly yes \
  --appendfsync everysec --save "" --daemonize no --logfile "$REDIS_DIR/redis.log" &
REDIS_PID=$!
SERVER_PID=
cleanup() {
  [ -z "$SERVER_PID" ] || kill "$SERVER_PID" 2>/dev/null || true
  kill "$REDIS_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$REDIS_DIR"
}
trap cleanup EXIT
for _ in $(seq 1 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT") 2>/dev/null && break
  sleep 0.1
done

start_server() { # $1 = single | cluster
  local extra=()
  if [ "$1" = cluster ]; then
    extra=(-Dedgesocket.cluster.enabled=true -Dquarkus.redis.hosts=redis://127.0.0.1:$REDIS_PORT
           -Dedgesocket.cluster.node-id=bench)
  fi
  taskset -c 0 java -Xms512m -Xmx512m -XX:+UseG1GC -XX:+AlwaysPreTouch -Dquarkus.http.port=$PORT \
    '-Dedgesocket.zones."echo".websockets.max-connections=100000' \
    -Dquarkus.log.category.\"dev.edgesocket.examples\".level=WARN "${extra[@]}" \
    -jar target/quarkus-app/quarkus-run.jar > "$OUT/cluster-server-$1.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 120); do
    kill -0 $SERVER_PID 2>/dev/null || { echo "the server did not start:"; tail -20 "$OUT/cluster-server-$1.log"; exit 1; }
    curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "the server is not ready after 60 s"; exit 1
}

stop_server() {
  kill "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
  sleep 1
}

: > "$RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  for mode in single cluster; do
    start_server $mode
    UP=$($LOADGEN upgrades url=ws://127.0.0.1:$PORT/echo concurrency=$CONCURRENCY warmup=$WARMUP seconds=$MEASURE | grep RESULT)
    ECHO=$($LOADGEN echo url=ws://127.0.0.1:$PORT/echo connections=$CONNECTIONS inFlight=$IN_FLIGHT warmup=$WARMUP seconds=$MEASURE | grep RESULT)
    stop_server
    echo "round=$round server=$mode $UP" | tee -a "$RESULTS"
    echo "round=$round server=$mode $ECHO" | tee -a "$RESULTS"
  done
done

median() { # $1 = server, $2 = mode, $3 = field
  grep "server=$1 " "$RESULTS" | grep "mode=$2 " | grep -oE " $3=[0-9.]+" | cut -d= -f2 | sort -n \
    | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
echo
echo "Raw measurements: $RESULTS"
echo "Medians of $ROUNDS rounds (upgrades: closed loop, $CONCURRENCY at once; echo: $CONNECTIONS connections, $IN_FLIGHT in flight each)"
echo "| server | upgrades/s | upgrade p50 (us) | upgrade p99 (us) | echo msg/s | echo p99 (us) |"
echo "|---|---|---|---|---|---|"
for s in single cluster; do
  echo "| $s | $(median $s upgrades upgradesPerSec) | $(median $s upgrades p50us) | $(median $s upgrades p99us) | $(median $s echo msgsPerSec) | $(median $s echo p99us) |"
done
