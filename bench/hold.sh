#!/usr/bin/env bash
# Heartbeat benchmark: N idle sockets that answer every ping, idle-timeout 10s, held for T seconds.
# SERVER_OPTS adds JVM options to the server, e.g. SERVER_OPTS=-XX:StartFlightRecording=filename=bench/results/hold.jfr
# SERVER=vertx-ping holds the sockets against the floor instead: a raw Vert.x server pinging each one every 5 s,
# batched per event loop like edgesocket; SERVER=vertx-ping-per-socket, the same with one Vert.x timer per socket.
# Reports sockets wrongly closed, server CPU during the hold, RSS and live heap per socket, and the
# ping round trip. Usage: bench/hold.sh            (N=15000 T=300 by default; N=2000 T=30 for a quick look)
# COMPRESSION=1 turns permessage-deflate on for the zone and has every client offer it (keeping its context,
# as browsers do) and send one 207-byte text, so that each socket holds the inflater that costs the most;
# COMPRESSION=1 NO_CONTEXT=1 has the clients offer client_no_context_takeover too (no inflater is kept).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-15000}
T=${T:-300}
PORT=${PORT:-18080}
KEY=bench-key
OUT=bench/results
mkdir -p "$OUT"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "open files allowed: $(ulimit -n)"

./mvnw -q -B package -DskipTests
./mvnw -q -B -f bench/loadgen/pom.xml package
SERVER=${SERVER:-edgesocket}
case $SERVER in
  edgesocket|vertx-ping|vertx-ping-per-socket) ;;
  *) echo "SERVER must be edgesocket, vertx-ping or vertx-ping-per-socket, not $SERVER"; exit 2 ;;
esac
LOADGEN="java -Xms256m -Xmx1g -jar bench/loadgen/target/loadgen.jar"

# The server on core 0, the clients on core 1, so neither measures the other. The heap is fixed and
# pre-touched, so its pages are in the RSS baseline and the RSS growth is what the sockets cost outside
# the heap plus nothing of young-generation churn; the heap's share is measured as live heap after a full GC.
if [ "$SERVER" != edgesocket ]; then
  taskset -c 0 java -Xms512m -Xmx512m -XX:+UseG1GC -XX:+AlwaysPreTouch ${SERVER_OPTS:-} \
    -cp bench/loadgen/target/loadgen.jar dev.edgesocket.bench.VertxPingServer $PORT 5000 \
    "$([ "$SERVER" = vertx-ping-per-socket ] && echo per-socket || echo batched)" > "$OUT/hold-server.log" 2>&1 &
else
taskset -c 0 java -Xms512m -Xmx512m -XX:+UseG1GC -XX:+AlwaysPreTouch ${SERVER_OPTS:-} \
  -Dquarkus.http.port=$PORT \
  -Dedgesocket.admin.api-key=$KEY \
  '-Dedgesocket.zones."echo".websockets.idle-timeout=10s' \
  '-Dedgesocket.zones."echo".websockets.max-idle=0' \
  '-Dedgesocket.zones."echo".websockets.max-connections=20000' \
  "-Dedgesocket.zones.\"echo\".websockets.compression=$([ "${COMPRESSION:-0}" = 1 ] && echo true || echo false)" \
  -Dquarkus.log.category.\"dev.edgesocket.examples\".level=WARN \
  -jar target/quarkus-app/quarkus-run.jar > "$OUT/hold-server.log" 2>&1 &
fi
SERVER_PID=$!
CLIENT=
trap 'kill $SERVER_PID 2>/dev/null || true; [ -z "$CLIENT" ] || kill $CLIENT 2>/dev/null || true' EXIT
LISTENING=no
for _ in $(seq 1 60); do
  kill -0 $SERVER_PID 2>/dev/null || { echo "the server did not start:"; tail -20 "$OUT/hold-server.log"; exit 1; }
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && { LISTENING=yes; break; }
  sleep 0.5
done
[ $LISTENING = yes ] || { echo "the server is not listening on $PORT after 30 s:"; tail -20 "$OUT/hold-server.log"; exit 1; }

rss_kb() { awk '/VmRSS/ {print $2}' /proc/$SERVER_PID/status; }
heap_kb() { jcmd $SERVER_PID GC.run >/dev/null; jcmd $SERVER_PID GC.heap_info | grep -oE 'used [0-9]+K' | head -1 | grep -oE '[0-9]+'; }
cpu_ticks() { awk '{print $14 + $15}' /proc/$SERVER_PID/stat; }
sys_ticks() { awk '{print $15}' /proc/$SERVER_PID/stat; }

# Warm up the echo path a little so JIT and pools are settled before the baseline.
taskset -c 1 $LOADGEN echo url=ws://127.0.0.1:$PORT/echo connections=50 warmup=3 seconds=3 >/dev/null
sleep 2
RSS0=$(rss_kb); HEAP0=$(heap_kb)
# The server's own idle CPU with no sockets, to tell the heartbeats' share from the rest.
IDLE_WINDOW=$(( T > 60 ? 30 : 10 ))
ITICKS0=$(cpu_ticks); IT0=$(date +%s.%N); sleep $IDLE_WINDOW; ITICKS1=$(cpu_ticks); IT1=$(date +%s.%N)

: > "$OUT/hold-client.log" # no READY left from an earlier run
taskset -c 1 $LOADGEN hold url=ws://127.0.0.1:$PORT/echo connections=$N seconds=$T perSource=5000 firstSource=${FIRST_SOURCE:-2} \
  $([ "${COMPRESSION:-0}" = 1 ] && echo "compress=true noContext=$([ "${NO_CONTEXT:-0}" = 1 ] && echo true || echo false) hello=$(printf 'hello-compressed-world-%.0s' $(seq 1 9))") > "$OUT/hold-client.log" 2>&1 &
CLIENT=$!
until grep -q READY "$OUT/hold-client.log"; do
  kill -0 $CLIENT 2>/dev/null || { cat "$OUT/hold-client.log"; exit 1; }
  sleep 1
done
sleep 15 # every socket has been pinged at least once (idle-timeout 10s: a ping every 5 s)
RSS1=$(rss_kb); HEAP1=$(heap_kb)
TICKS0=$(cpu_ticks); SYS0=$(sys_ticks); T0=$(date +%s.%N)
sleep $(( T > 60 ? T - 40 : T / 3 ))
TICKS1=$(cpu_ticks); SYS1=$(sys_ticks); T1=$(date +%s.%N)
RTT="n/a (the floor server keeps no round trips)"
[ "$SERVER" = edgesocket ] && RTT=$($LOADGEN rtt api=http://127.0.0.1:$PORT zone=echo key=$KEY | grep RESULT)
wait $CLIENT || true
HOLD=$(grep RESULT "$OUT/hold-client.log")
OPENED=$(grep -oE 'opened=[0-9]+' <<< "$HOLD" | cut -d= -f2)
[ -n "$OPENED" ] && [ "$OPENED" -gt 0 ] || OPENED=$N

HZ=$(getconf CLK_TCK)
awk -v n="$OPENED" -v r0="$RSS0" -v r1="$RSS1" -v h0="$HEAP0" -v h1="$HEAP1" -v c0="$TICKS0" -v c1="$TICKS1" \
    -v t0="$T0" -v t1="$T1" -v hz="$HZ" -v hold="$HOLD" -v rtt="$RTT" \
    -v i0="$ITICKS0" -v i1="$ITICKS1" -v it0="$IT0" -v it1="$IT1" -v s0="$SYS0" -v s1="$SYS1" 'BEGIN {
  printf "hold: %s\nrtt:  %s\n", hold, rtt
  hold_cpu = 100 * (c1 - c0) / hz / (t1 - t0); idle_cpu = 100 * (i1 - i0) / hz / (it1 - it0)
  printf "| sockets | RSS per socket | live heap per socket | server CPU holding | server CPU with no sockets | heartbeats (difference) |\n"
  printf "|---|---|---|---|---|---|\n"
  printf "| %d | %.1f KB | %.1f KB | %.2f %% | %.2f %% | %.2f %% of one core |\n", n, (r1 - r0) * 1.024 / n, (h1 - h0) * 1.024 / n, hold_cpu, idle_cpu, hold_cpu - idle_cpu
  printf "(RSS %d -> %d KiB, heap after full GC %d -> %d KiB; of the CPU while holding, %.2f %% is kernel time)\n", r0, r1, h0, h1, 100 * (s1 - s0) / hz / (t1 - t0)
}' | tee "$OUT/hold-$SERVER$([ "${COMPRESSION:-0}" = 1 ] && echo -deflate)$([ "${NO_CONTEXT:-0}" = 1 ] && echo -nocontext)-$(date +%Y%m%d-%H%M).txt"
