#!/usr/bin/env bash
# Fragment benchmark (issue #11 item 3): does a client sending messages in tiny fragments stall the other
# sockets of its event loop? The server runs with ONE event loop, so the echo clients and the hostile client
# share it. Three runs of the same fixed echo load (RATE msg/s over 50 connections for DURATION seconds), side by side:
#   alone      - the echo load by itself;
#   refused    - plus a client sending 4 MiB messages in 1-byte fragments to the echo zone, whose default
#                max-fragments (16,384) refuses each with 1009 (the client reconnects and starts again);
#   joined     - plus the same client against a zone that allows 5,000,000 fragments, so every 4 MiB message
#                is joined (4,194,304 frames each) and echoed.
# Prints the echo p99 of each run and its ratio to "alone", and what the hostile client achieved.
# Usage: bench/fragments.sh   (RATE=2000 DURATION=20 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${RATE:-2000}
DURATION=${DURATION:-20}
PORT=${PORT:-18081}
OUT=bench/results
mkdir -p "$OUT"
./mvnw -q -B package -DskipTests
./mvnw -q -B -f bench/loadgen/pom.xml package
LOADGEN="java -Xms256m -Xmx1g -jar bench/loadgen/target/loadgen.jar"

taskset -c 0 java -Xms512m -Xmx512m -XX:+UseG1GC -XX:+AlwaysPreTouch \
  -Dquarkus.http.port=$PORT -Dquarkus.vertx.event-loops-pool-size=1 \
  '-Dedgesocket.zones."echo".dispatch=event-loop' \
  '-Dedgesocket.zones."echo".websockets.max-message-size=4M' \
  '-Dedgesocket.zones."frag".path=/frag' '-Dedgesocket.zones."frag".script=echo' \
  '-Dedgesocket.zones."frag".dispatch=event-loop' \
  '-Dedgesocket.zones."frag".websockets.max-message-size=4M' \
  '-Dedgesocket.zones."frag".websockets.max-fragments=5000000' \
  -Dquarkus.log.category.\"dev.edgesocket.examples\".level=WARN \
  -jar target/quarkus-app/quarkus-run.jar > "$OUT/fragments-server.log" 2>&1 &
SERVER_PID=$!
ATTACKER=
trap 'kill $SERVER_PID 2>/dev/null || true; [ -z "$ATTACKER" ] || kill $ATTACKER 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
  sleep 0.5
done

echo_p99() {
  taskset -c 1 $LOADGEN rate url=ws://127.0.0.1:$PORT/echo connections=50 rate=$RATE warmup=3 seconds=$DURATION \
    | grep RESULT | grep -oE 'p99us=[0-9.]+' | cut -d= -f2 | awk '{ printf "%.2f", $1 / 1000 }'
}
run_with() { # $1: path of the hostile client, or "" for none
  ATTACKER=
  if [ -n "$1" ]; then
    taskset -c 1 $LOADGEN fragments url=ws://127.0.0.1:$PORT$1 size=4194304 fragment=1 seconds=$((DURATION + 8)) \
      > "$OUT/fragments-attacker.log" 2>&1 &
    ATTACKER=$!
    sleep 2
  fi
  P99=$(echo_p99)
  if [ -n "$ATTACKER" ]; then wait $ATTACKER || true; ATTACKER=; ATT=$(grep RESULT "$OUT/fragments-attacker.log" || echo "no result"); else ATT="-"; fi
}

taskset -c 1 $LOADGEN echo url=ws://127.0.0.1:$PORT/echo connections=50 warmup=3 seconds=3 >/dev/null
run_with "";      ALONE=$P99
run_with /echo;   REFUSED=$P99; REFUSED_ATT=$ATT
run_with /frag;   JOINED=$P99;  JOINED_ATT=$ATT
{
  echo "| run | echo p99 at $RATE msg/s | × alone | hostile client |"
  echo "|---|---|---|---|"
  awk -v a="$ALONE" 'BEGIN { printf "| alone | %s ms | 1.00 | - |\n", a }'
  awk -v a="$ALONE" -v b="$REFUSED" -v t="$REFUSED_ATT" 'BEGIN { printf "| refused (max-fragments 16,384) | %s ms | %.2f | %s |\n", b, b / a, t }'
  awk -v a="$ALONE" -v b="$JOINED" -v t="$JOINED_ATT" 'BEGIN { printf "| joined (max-fragments 5,000,000) | %s ms | %.2f | %s |\n", b, b / a, t }'
} | tee "$OUT/fragments-$(date +%Y%m%d-%H%M).txt"
