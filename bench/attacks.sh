#!/usr/bin/env bash
# Hostile clients (issue 19, "Measure in bench/"): each attack of HardeningIT against the packaged server with a small
# heap, side by side with a run without an attack, one server for the whole run:
#   baseline      - no attack;
#   ping          - 1 socket: 125-byte pings as fast as TCP takes them, an unsolicited pong every 100, never reads
#                   (receive window 4 KiB);
#   empty-worker  - 1 socket: empty text messages, never reads, worker zone (/hw);
#   empty-loop    - the same to the event-loop zone (/hl);
#   byte-worker, byte-loop - the same with 1-byte binary messages;
#   big           - 100 sockets sending 1 MiB binary messages (the largest allowed), never reading;
#   bomb          - 1 socket: permessage-deflate text of 1 MiB of 'a' (about 1 KB on the wire) as fast as the server
#                   reads them, reading and discarding every echo (the CPU attack: it is held to the inflate budget,
#                   not closed);
#   bomb-4        - the same from 4 sockets (4 x 16 MiB/s: the server-wide budget of 64 MiB/s);
#   baseline-end  - no attack again, to see the drift of the run.
# During each attack a healthy socket (zone /calm, worker dispatch) sends a 2-byte text every 10 ms and times each
# echo from when it was due. The server runs with ONE event loop (quarkus.vertx.event-loops-pool-size=1), so the
# healthy socket and every attacker share it. An attacker the server closes connects again at once (a refused
# upgrade, 503 past the server's budget, is retried after 250 ms), so the attack lasts the whole window.
# Per attack (`loadgen attack`, see AttackMode): the probe's p50/p99, the server's CPU (utime+stime of
# /proc/<pid>/stat over the window / window; per attacking socket: over the baseline's, divided by the sockets),
# the peak used heap and queued bytes (edgesocket_queued_bytes) from /q/metrics once a second, the live heap (total of
# jcmd GC.class_histogram, a full GC) at the end of the window with the attack still on and again 2 s after it
# stopped, and what happened to the attackers: how many connections, how many the server closed, after how long,
# with which codes (edgesocket_closes_total; 1006 is the attacker hanging up at the end of the window).
# A TIMELINE line per attack gives, per second of the window, the probe's slowest echo, the attackers' closes and MiB
# sent, and the server's queued bytes.
# Server: `java -Xmx256m -XX:+UseG1GC` on SERVER_CPU (G1 named because a JVM that sees one CPU would pick Serial),
# zones hw (worker), hl (event-loop), hz (worker, compression=true), all with idle-timeout IDLE_TIMEOUT (5s: the
# pong deadline and the stall timeout, so closes show inside the window; the default is 30s), calm (defaults).
# Load generator (probe and attackers, one JVM) on CLIENT_CPU. Loopback only.
# Knobs: ROUNDS=1 WINDOW=15 (seconds of attack) WARMUP=2 (seconds of probe alone before it) WARM=1 (each attack once
#        for 3 s before the measured runs, for the JIT) IDLE_TIMEOUT=5s HEAP=256m PORT=18701 SERVER_CPU=0 CLIENT_CPU=1 BUILD=1
#        CASES="baseline ping empty-worker empty-loop byte-worker byte-loop big bomb bomb-4 baseline-end"
#        REPORT=bench/results/attacks-....txt prints the tables of an earlier run's raw lines.
# Holds /tmp/edgesocket-mvn.lock for the whole run, build included (so no build on this machine disturbs the
# figures): when it is not already held by a parent (`flock /tmp/edgesocket-mvn.lock bench/attacks.sh`), the
# script takes it itself. Takes about 5 minutes with the default knobs, plus the build.
# Usage: bench/attacks.sh
set -euo pipefail
cd "$(dirname "$0")/.."
LOCK=${LOCK:-/tmp/edgesocket-mvn.lock}
ROUNDS=${ROUNDS:-1}
WINDOW=${WINDOW:-15}
WARMUP=${WARMUP:-2}
IDLE_TIMEOUT=${IDLE_TIMEOUT:-5s}
HEAP=${HEAP:-256m}
PORT=${PORT:-18701}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
BUILD=${BUILD:-1}
WARM=${WARM:-1}
CASES=${CASES:-"baseline ping empty-worker empty-loop byte-worker byte-loop big bomb bomb-4 baseline-end"}
REPORT=${REPORT:-}
if [ -n "${JAVA_HOME:-}" ]; then export PATH="$JAVA_HOME/bin:$PATH"; fi

if [ -n "$REPORT" ]; then
  java -cp bench/loadgen/target/loadgen.jar dev.edgesocket.bench.AttackReport "$REPORT"
  exit 0
fi

# The lock: held by an ancestor (flock ... bench/attacks.sh), or taken here.
lock_held_by_ancestor() {
  local inode holders p
  inode=$(stat -c %i "$LOCK" 2>/dev/null) || return 1
  holders=$(awk -v i="$inode" '$2 == "FLOCK" { n = split($6, d, ":"); if (d[n] == i) print $5 }' /proc/locks)
  [ -n "$holders" ] || return 1
  p=$$
  while [ "$p" -gt 1 ]; do
    grep -qx "$p" <<< "$holders" && return 0
    p=$(awk '/^PPid:/ { print $2 }' "/proc/$p/status" 2>/dev/null || echo 1)
  done
  return 1
}
if ! lock_held_by_ancestor; then
  touch "$LOCK"
  echo "waiting for $LOCK" >&2
  exec flock "$LOCK" "$0" "$@"
fi

OUT=bench/results
mkdir -p "$OUT"
RESULTS="$OUT/attacks-$(date -u +%Y%m%d-%H%M).txt"
LOGS=$(mktemp -d)
command -v curl >/dev/null || { echo "curl is missing"; exit 2; }
if [ "$BUILD" = 1 ]; then
  ./mvnw -q -B package -DskipTests
  ./mvnw -q -B -f bench/loadgen/pom.xml package
fi
LOADGEN="taskset -c $CLIENT_CPU java -Xms256m -Xmx1g -jar bench/loadgen/target/loadgen.jar"
HZ=$(getconf CLK_TCK)

SERVER_PID=
SERVER_LOG=
STARTS=0
start_server() {
  STARTS=$((STARTS + 1))
  SERVER_LOG=$LOGS/server-$STARTS.log
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    echo "port $PORT is already in use: set PORT to a free one"; exit 1
  fi
  taskset -c "$SERVER_CPU" java -Xmx$HEAP -XX:+UseG1GC -Dquarkus.http.port=$PORT \
    -Dquarkus.vertx.event-loops-pool-size=1 \
    -Dedgesocket.zones.calm.path=/calm -Dedgesocket.zones.calm.script=echo \
    -Dedgesocket.zones.hw.path=/hw -Dedgesocket.zones.hw.script=echo \
    -Dedgesocket.zones.hw.websockets.idle-timeout=$IDLE_TIMEOUT \
    -Dedgesocket.zones.hl.path=/hl -Dedgesocket.zones.hl.script=echo -Dedgesocket.zones.hl.dispatch=event-loop \
    -Dedgesocket.zones.hl.websockets.idle-timeout=$IDLE_TIMEOUT \
    -Dedgesocket.zones.hz.path=/hz -Dedgesocket.zones.hz.script=echo -Dedgesocket.zones.hz.websockets.compression=true \
    -Dedgesocket.zones.hz.websockets.idle-timeout=$IDLE_TIMEOUT \
    '-Dquarkus.log.category."dev.edgesocket.examples".level=WARN' \
    -jar target/quarkus-app/quarkus-run.jar > "$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 120); do
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "the server did not start:"; tail -20 "$SERVER_LOG"; exit 1; }
    curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "the server is not ready after 60 s: $SERVER_LOG"; exit 1
}
stop_server() {
  [ -z "$SERVER_PID" ] || { kill "$SERVER_PID" && wait "$SERVER_PID"; } 2>/dev/null || true
  SERVER_PID=
}
trap stop_server EXIT

spec() { # case -> "kind path sockets label"
  case $1 in
    baseline) echo "none /hw 0 no_attack" ;;
    baseline-end) echo "none /hw 0 no_attack,_again_at_the_end" ;;
    ping) echo "ping /hw 1 ping_flood" ;;
    empty-worker) echo "empty /hw 1 empty_messages,_worker_zone" ;;
    empty-loop) echo "empty /hl 1 empty_messages,_event-loop_zone" ;;
    byte-worker) echo "byte /hw 1 1-byte_messages,_worker_zone" ;;
    byte-loop) echo "byte /hl 1 1-byte_messages,_event-loop_zone" ;;
    big) echo "big /hw 100 100_sockets_x_1_MiB_messages" ;;
    bomb) echo "bomb /hz 1 compression_bomb" ;;
    bomb-4) echo "bomb /hz 4 compression_bomb,_4_sockets" ;;
    *) echo "unknown case $1" >&2; exit 2 ;;
  esac
}

START=$(date +%s)
{
  echo "# bench/attacks.sh, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench || echo ' (with uncommitted changes)')"
  echo "# machine: $(nproc) cores, $(java -version 2>&1 | head -1); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# server on CPU $SERVER_CPU: java -Xmx$HEAP -XX:+UseG1GC, one event loop, zones hw/hl/hz idle-timeout $IDLE_TIMEOUT; load generator on CPU $CLIENT_CPU"
  echo "# ROUNDS=$ROUNDS WINDOW=$WINDOW WARMUP=$WARMUP WARM=$WARM CASES=\"$CASES\""
} | tee "$RESULTS"
start_server
# Warm the echo path (JIT) before the baseline, and with WARM=1 every attack's paths too (each attack for 3 s, not
# measured): otherwise the first attack of a kind pays for the JIT compiling its paths, and which attack comes first
# decides its figures.
$LOADGEN echo url=ws://127.0.0.1:$PORT/calm connections=20 warmup=3 seconds=2 >/dev/null
if [ "$WARM" = 1 ]; then
  warmed=" "
  for c in $CASES; do
    set -- $(spec "$c")
    [ "$1" != none ] && [[ "$warmed" != *" $1$2 "* ]] || continue
    warmed="$warmed$1$2 "
    timeout 60 $LOADGEN attack url=ws://127.0.0.1:$PORT kind=$1 path=$2 sockets=$3 probe=/calm seconds=3 warmup=0 \
      serverPid=$SERVER_PID hz=$HZ quick=true >/dev/null 2>&1 || true
  done
  echo "# warmed up:$warmed" | tee -a "$RESULTS"
  sleep 2
fi
for round in $(seq 1 "$ROUNDS"); do
  for c in $CASES; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "round=$round case=$c: the server is gone; its log: $SERVER_LOG; starting another" | tee -a "$RESULTS"
      SERVER_PID=
      start_server
    fi
    set -- $(spec "$c")
    LINE=$(timeout $((WARMUP + WINDOW + 120)) $LOADGEN attack url=ws://127.0.0.1:$PORT kind=$1 path=$2 sockets=$3 \
      probe=/calm seconds=$WINDOW warmup=$WARMUP serverPid=$SERVER_PID hz=$HZ 2>"$LOGS/loadgen-$c-$round.err" \
      | grep -E '^(RESULT|TIMELINE)' || true)
    if ! grep -q RESULT <<< "$LINE"; then
      echo "round=$round case=$c: no result:" | tee -a "$RESULTS"; tail -5 "$LOGS/loadgen-$c-$round.err" | tee -a "$RESULTS"
      continue
    fi
    sed "s/^/case=$c label=$4 round=$round /" <<< "$LINE" | tee -a "$RESULTS"
    sleep 1
  done
done
{
  echo
  echo "server log(s): $(grep -c OutOfMemoryError "$LOGS"/server-*.log | paste -sd' ') OutOfMemoryError lines; server starts: $STARTS;" \
    "log lines by level: $(cat "$LOGS"/server-*.log | grep -oE '"level":"[A-Z]+"' | cut -d'"' -f4 | sort | uniq -c | awk '{printf "%s %s ", $2, $1}')"
  echo "server warnings and errors:"
  cat "$LOGS"/server-*.log | grep -E '"level":"(WARN|ERROR)"' | grep -oE '"message":"[^"]{0,300}' | cut -d'"' -f4- | sort | uniq -c
  echo "took $(( $(date +%s) - START )) s; logs in $LOGS"
  echo
  java -cp bench/loadgen/target/loadgen.jar dev.edgesocket.bench.AttackReport "$RESULTS"
} | tee -a "$RESULTS"
