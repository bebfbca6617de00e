#!/usr/bin/env bash
# edgesocket side by side with what users would pick instead: plain Jakarta @ServerEndpoint on Quarkus,
# quarkus-websockets-next (default, and @NonBlocking), a raw Vert.x HttpServer and Node's ws (when node is present).
# Builds everything, then:
#  1. echo: every server in turn under the same closed-loop load (throughput), then, on the same warm connections,
#     the same fixed offered load RATE for all (latency at equal load), interleaved (A B C ... A B C ...) for ROUNDS
#     rounds;
#  2. idle memory: per server, 10,000 and then 15,000 idle connections; RSS and live heap over its own baseline.
# Prints a table of medians and ratios against edgesocket, and the issue's targets. Usage: bench/compare.sh
# Needs a JDK 21 or newer (java, jcmd; JAVA_HOME is used when set) and taskset; node and npm are optional.
# The JavaScript zone runs Bunny's Quickstart as TypeScript (scripts/echo.ts): "js" interpreted, "js-compiled" with
# the Graal compiler on the upgrade module path (needs a JDK whose JVMCI fits it, e.g. Temurin 25).
# Knobs (environment): ROUNDS=3 WARMUP=5 MEASURE=8 RATE=10000 FIXED_SECONDS=5 CONNECTIONS=100 IN_FLIGHT=4 SIZE=32 TYPE=text IDLE=1
#   SERVERS="edgesocket edgesocket-loop js js-compiled jakarta wsnext wsnext-nonblocking vertx node" SERVER_CPU=0
#   CLIENT_CPU=1 BUILD=1 (0: use what is built)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-5}
MEASURE=${MEASURE:-8}
RATE=${RATE:-10000}
FIXED_SECONDS=${FIXED_SECONDS:-5}
CONNECTIONS=${CONNECTIONS:-100}
IN_FLIGHT=${IN_FLIGHT:-4}
SIZE=${SIZE:-32}
TYPE=${TYPE:-text}
IDLE=${IDLE:-1}
SERVERS=${SERVERS:-"edgesocket edgesocket-loop js js-compiled jakarta wsnext wsnext-nonblocking vertx node"}
BUILD=${BUILD:-1}
if [ -n "${JAVA_HOME:-}" ]; then export PATH="$JAVA_HOME/bin:$PATH"; fi
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
PORT=${PORT:-18100}
OUT=bench/results/compare-$(date +%Y%m%d-%H%M%S)
TSV=$OUT/results.tsv
mkdir -p "$OUT"
: > "$TSV"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
STARTED=$(date +%s)
# Every JVM server gets the same fixed, pre-touched heap: the heap's pages are in the RSS baseline, so RSS growth
# is what connections cost outside the heap, and the heap's share is read as live heap after a full GC.
JVM_OPTS="-Xms512m -Xmx512m -XX:+UseG1GC -XX:+AlwaysPreTouch"
LOADGEN="taskset -c $CLIENT_CPU java -Xms256m -Xmx1g -jar bench/loadgen/target/loadgen.jar"

echo "== build (edgesocket, load generator, baseline servers)"
if [ "$BUILD" = 1 ]; then
  ./mvnw -q -B package -DskipTests
  ./mvnw -q -B -f bench/pom.xml package
fi
if command -v node >/dev/null && command -v npm >/dev/null; then
  if ! (cd bench/servers/node && npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
    echo "npm ci failed: the Node ws baseline is left out"
    SERVERS=${SERVERS//node/}
  fi
else
  echo "node/npm not found: the Node ws baseline is left out"
  SERVERS=${SERVERS//node/}
fi

label() {
  case $1 in
    edgesocket) echo "edgesocket, dispatch=worker (default)" ;;
    edgesocket-loop) echo "edgesocket, dispatch=event-loop" ;;
    js) echo "edgesocket, TypeScript zone on GraalJS, interpreted" ;;
    js-compiled) echo "edgesocket, TypeScript zone on GraalJS, compiled (Graal compiler)" ;;
    jakarta) echo "plain Jakarta @ServerEndpoint on Quarkus" ;;
    wsnext) echo "websockets-next, default (String method: worker thread)" ;;
    wsnext-nonblocking) echo "websockets-next, @NonBlocking (event loop)" ;;
    vertx) echo "raw Vert.x HttpServer" ;;
    node) echo "Node ws $(node -p 'require("./bench/servers/node/node_modules/ws/package.json").version')" ;;
  esac
}
for s in $SERVERS; do printf 'server\t%s\t%s\t%s\n' "$s" "$(label "$s")" "$([ "$s" = node ] && echo node || echo jvm)" >> "$TSV"; done

SERVER_PID=
start_server() { # id -> SERVER_PID, URL
  local id=$1 path=/echo
  PORT=$((PORT + 1))
  local log=$OUT/server-$id-$PORT.log
  case $id in
    edgesocket|edgesocket-loop)
      local zone=echo dispatch=worker
      if [ "$id" = edgesocket-loop ]; then zone=echo-loop; path=/echo-loop; dispatch=event-loop; fi
      taskset -c "$SERVER_CPU" java $JVM_OPTS -Dquarkus.http.port=$PORT \
        "-Dedgesocket.zones.\"$zone\".path=$path" "-Dedgesocket.zones.\"$zone\".script=echo" \
        "-Dedgesocket.zones.\"$zone\".dispatch=$dispatch" \
        "-Dedgesocket.zones.\"$zone\".websockets.max-connections=20000" \
        '-Dquarkus.log.category."dev.edgesocket.examples".level=WARN' \
        -jar target/quarkus-app/quarkus-run.jar > "$log" 2>&1 &
      ;;
    js|js-compiled)
      local compiled=()
      if [ "$id" = js-compiled ]; then
        compiled=(-XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI --upgrade-module-path=target/graal-compiler)
      fi
      path=/echo-ts
      taskset -c "$SERVER_CPU" java $JVM_OPTS "${compiled[@]}" -Dquarkus.http.port=$PORT \
        '-Dedgesocket.zones."echo-ts".websockets.max-connections=20000' \
        '-Dquarkus.log.category."dev.edgesocket.js.console".level=WARN' \
        -jar target/quarkus-app/quarkus-run.jar > "$log" 2>&1 &
      ;;
    jakarta)
      taskset -c "$SERVER_CPU" java $JVM_OPTS -Dquarkus.http.port=$PORT \
        -jar bench/servers/jakarta/target/quarkus-app/quarkus-run.jar > "$log" 2>&1 & ;;
    wsnext|wsnext-nonblocking)
      [ "$id" = wsnext-nonblocking ] && path=/echo-nonblocking
      taskset -c "$SERVER_CPU" java $JVM_OPTS -Dquarkus.http.port=$PORT \
        -jar bench/servers/wsnext/target/quarkus-app/quarkus-run.jar > "$log" 2>&1 & ;;
    vertx)
      taskset -c "$SERVER_CPU" java $JVM_OPTS -cp bench/loadgen/target/loadgen.jar \
        dev.edgesocket.bench.VertxEchoServer $PORT > "$log" 2>&1 & ;;
    node)
      taskset -c "$SERVER_CPU" node --expose-gc bench/servers/node/echo-server.mjs $PORT > "$log" 2>&1 & ;;
  esac
  SERVER_PID=$!
  SERVER_LOG=$log
  URL=ws://127.0.0.1:$PORT$path
  for _ in $(seq 1 120); do
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "$id did not start:"; tail -20 "$log"; exit 1; }
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return 0 # listening (bash alone: no curl needed)
    sleep 0.25
  done
  echo "$id did not answer on $PORT"; exit 1
}
stop_server() {
  { kill -9 "$SERVER_PID" && wait "$SERVER_PID"; } 2>/dev/null || true
}
HOLD_PIDS=()
kill_holds() { # quietly: no "Killed" job notices
  for p in "${HOLD_PIDS[@]}"; do { kill -9 "$p" && wait "$p"; } 2>/dev/null || true; done
  HOLD_PIDS=()
}
cleanup() {
  kill_holds
  [ -n "$SERVER_PID" ] && kill -9 "$SERVER_PID" 2>/dev/null || true
}
trap cleanup EXIT

rss_kib() {
  [ -r "/proc/$SERVER_PID/status" ] || { echo "the server died; its log: $SERVER_LOG" >&2; exit 1; }
  awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status"
}
# The kernel's memory for sockets is slab (system-wide, so it holds both ends of every loopback connection).
slab_kib() { awk '/^Slab:/ {print $2}' /proc/meminfo; }
live_heap_kib() { # after a full collection
  if [ "$1" = node ]; then
    local before
    before=$(grep -c '^HEAP ' "$SERVER_LOG" || true)
    kill -USR2 "$SERVER_PID"
    for _ in $(seq 1 50); do # wait for this request's answer, not an earlier one
      [ "$(grep -c '^HEAP ' "$SERVER_LOG" || true)" -gt "$before" ] && break
      sleep 0.1
    done
    grep '^HEAP ' "$SERVER_LOG" | tail -1 | awk '{printf "%d", $2 / 1024}'
  else
    jcmd "$SERVER_PID" GC.run >/dev/null
    jcmd "$SERVER_PID" GC.heap_info | grep -oE 'used [0-9]+K' | head -1 | grep -oE '[0-9]+'
  fi
}
field() { grep -oE "$1=[0-9.]+" <<< "$2" | head -1 | cut -d= -f2; }

echo "== echo: $ROUNDS rounds of: $SERVERS"
echo "   ($CONNECTIONS connections x $IN_FLIGHT in flight, $SIZE B $TYPE, ${WARMUP}s warm-up, ${MEASURE}s measured;"
echo "    then $RATE messages/s offered for ${FIXED_SECONDS}s)"
for round in $(seq 1 "$ROUNDS"); do
  for id in $SERVERS; do
    start_server "$id"
    # Closed-loop latency follows throughput (a faster server drains the same 400 in-flight messages sooner), so
    # after the closed loop the same warm connections are driven at one offered load that every server sustains,
    # with latency timed from when each message was due.
    results=$($LOADGEN echo "url=$URL" connections=$CONNECTIONS inFlight=$IN_FLIGHT size=$SIZE type=$TYPE \
      warmup=$WARMUP seconds=$MEASURE thenRate=$RATE thenSeconds=$FIXED_SECONDS | grep RESULT || true)
    line=$(grep 'mode=echo' <<< "$results" || true)
    fixed=$(grep 'mode=rate' <<< "$results" || true)
    rss=$(rss_kib)
    stop_server
    [ -n "$line" ] && [ -n "$fixed" ] || { echo "no result from $id; its log: $SERVER_LOG"; exit 1; }
    printf 'echo\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$round" \
      "$(field msgsPerSec "$line")" "$(field p50us "$line")" "$(field p99us "$line")" "$(field p999us "$line")" \
      "$(field errors "$line")" "$rss" "$(field clientCpu "$line")" \
      "$(field p50us "$fixed")" "$(field p99us "$fixed")" "$(field p999us "$fixed")" "$(field errors "$fixed")" >> "$TSV"
    printf '   round %s %-20s %9s msg/s (generator CPU %s %%); at %s/s p99 %s us\n' "$round" "$id" \
      "$(field msgsPerSec "$line")" "$(field clientCpu "$line")" "$RATE" "$(field p99us "$fixed")"
  done
done

wait_ready() { # log pid
  until grep -q READY "$1"; do
    kill -0 "$2" 2>/dev/null || { cat "$1"; exit 1; }
    sleep 0.5
  done
}
if [ "$IDLE" = 1 ]; then
  echo "== idle memory: 10,000 then 15,000 connections per server"
  source=2
  for id in $SERVERS; do
    [ "$id" = edgesocket-loop ] && continue   # the same server as edgesocket while idle
    [ "$id" = wsnext-nonblocking ] && continue
    [ "$id" = js-compiled ] && continue       # the same server as js while idle
    start_server "$id"
    $LOADGEN echo "url=$URL" connections=50 warmup=2 seconds=2 >/dev/null
    sleep 2
    heap=$(live_heap_kib "$id") # first: for Node, RSS is read after the collection too
    printf 'idle\t%s\t0\t0\t%s\t%s\t%s\n' "$id" "$(rss_kib)" "$heap" "$(slab_kib)" >> "$TSV"
    opened=0
    # 5,000 connections per source address, and fresh addresses for every server: binding a source port gets
    # slow as one address fills up, and the previous server's closed connections still hold theirs (TIME_WAIT).
    for step in "10000 $source 10000" "5000 $((source + 2)) 15000"; do # connections to add, first source, total
      set -- $step
      log=$OUT/hold-$id-$3.log
      : > "$log" # exists before the client starts writing it, for wait_ready
      $LOADGEN hold "url=$URL" connections=$1 firstSource=$2 perSource=5000 seconds=3600 > "$log" 2>&1 &
      HOLD_PIDS+=($!)
      wait_ready "$log" $!
      opened=$((opened + $(grep -oE 'opened [0-9]+' "$log" | grep -oE '[0-9]+')))
      sleep 5
      heap=$(live_heap_kib "$id")
      printf 'idle\t%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$3" "$opened" "$(rss_kib)" "$heap" "$(slab_kib)" >> "$TSV"
      echo "   $id: $opened open, RSS $(rss_kib) KiB"
    done
    kill_holds
    source=$((source + 3))
    stop_server
  done
fi

{
  echo "edgesocket benchmark comparison, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)$(command -v node >/dev/null && echo ", node $(node --version)")"
  echo "servers on CPU $SERVER_CPU ($JVM_OPTS for the JVMs), load generator on CPU $CLIENT_CPU; took $(( $(date +%s) - STARTED )) s"
  echo
  java -cp bench/loadgen/target/loadgen.jar dev.edgesocket.bench.CompareReport "$TSV"
} | tee "$OUT/table.md"
echo "raw figures: $TSV"
