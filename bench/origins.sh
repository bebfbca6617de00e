#!/usr/bin/env bash
# edgesocket as a reverse proxy (a Pull Zone, issue 21) side by side with nginx, in one run, in front of the same
# origin (VertxOriginServer: a WebSocket echo that answers "Echo: <text>", and a 22-byte body for plain requests).
# Each proxy is pinned to PROXY_CPU; the origin and the clients share CLIENT_CPU. Both proxies run for the whole
# run (one idles while the other is measured), so the JVM stays warm across rounds. Per round, for each proxy:
#  1. echo through the proxy: CONNECTIONS WebSockets with IN_FLIGHT small messages each in a closed loop for MEASURE
#     seconds (echoes per second), then on the same connections a fixed offered load of RATE echoes per second for
#     FIXED_SECONDS (p50/p99, timed from when each message was due); the proxy's CPU (utime+stime of
#     /proc/<pid>/stat, read by the load generator at the edges of each measured period) divided by the echoes:
#     CPU per echo, which is two proxied messages (client to origin, origin to client);
#  2. HTTP through the proxy: wrk -t1 -cHTTP_CONNECTIONS -dHTTP_SECONDS --latency (requests per second and p99,
#     closed loop) after a 2 s warm-up, and the proxy's CPU per request over the wrk run;
# then once per proxy, 3. idle memory: IDLE_CONNECTIONS idle WebSockets through the proxy (each holds two sockets
# in the proxy; the limit of open files is 20,000), the proxy's growth over its own baseline divided by the
# connections: for nginx the worker's RSS, for edgesocket RSS (fixed, pre-touched heap) plus live heap after a full
# GC; the proxy's open files before, while held and after they closed (a leak shows there).
# With PROFILE=1, after the figures, one more closed-loop echo run through edgesocket under a JFR recording, whose
# hot methods are printed, and the same during a wrk run (not part of the figures). WARM=1: before the rounds,
# each proxy once through both loads, unmeasured (the JVM's JIT).
# nginx: Debian's, one worker (master_process on, the worker is what is measured), a config written to a temp dir:
# proxy_pass to an upstream with keepalive, HTTP/1.1, Upgrade/Connection passed for WebSockets, X-Forwarded-*
# set as edgesocket sets them, access_log off. edgesocket: the packaged jar, one zone "bench" with path /* and
# origin.url the origin, -Xms512m -Xmx512m -XX:+UseG1GC -XX:+AlwaysPreTouch (as compare.sh), log level WARN.
# Knobs: ROUNDS=2 WARMUP=3 MEASURE=8 RATE=5000 FIXED_SECONDS=5 CONNECTIONS=100 IN_FLIGHT=4 SIZE=32
#        HTTP_CONNECTIONS=50 HTTP_SECONDS=8 IDLE_CONNECTIONS=8000 PROXIES="nginx edgesocket" PROFILE=1 WARM=1
#        (PROXIES may add edgesocket-1loop: edgesocket with one event loop, on PORT+3; its lines are in the raw
#        output, not in the summary table)
#        PROXY_CPU=0 CLIENT_CPU=1 PORT=18950 (origin; nginx PORT+1, edgesocket PORT+2) BUILD=1
#        EDGESOCKET_OPTS= (more -D options for edgesocket's JVM); IDLE_CONNECTIONS=0 skips the memory part
# Needs nginx and wrk (Debian packages nginx, wrk: installed with apt-get when root, else the apt-get line is
# printed; without wrk the HTTP part is skipped). Holds /tmp/edgesocket-mvn.lock for the whole run, as attacks.sh.
# Takes about 4 minutes with the default knobs, plus the build. Usage: bench/origins.sh
set -euo pipefail
cd "$(dirname "$0")/.."
LOCK=${LOCK:-/tmp/edgesocket-mvn.lock}
ROUNDS=${ROUNDS:-2}
WARMUP=${WARMUP:-3}
MEASURE=${MEASURE:-8}
RATE=${RATE:-5000}
FIXED_SECONDS=${FIXED_SECONDS:-5}
CONNECTIONS=${CONNECTIONS:-100}
IN_FLIGHT=${IN_FLIGHT:-4}
SIZE=${SIZE:-32}
HTTP_CONNECTIONS=${HTTP_CONNECTIONS:-50}
HTTP_SECONDS=${HTTP_SECONDS:-8}
IDLE_CONNECTIONS=${IDLE_CONNECTIONS:-8000}
PROXIES=${PROXIES:-"nginx edgesocket"}
PROFILE=${PROFILE:-1}
WARM=${WARM:-1}
PROXY_CPU=${PROXY_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
PORT=${PORT:-18950}
BUILD=${BUILD:-1}
if [ -n "${JAVA_HOME:-}" ]; then export PATH="$JAVA_HOME/bin:$PATH"; fi

# The lock: held by an ancestor (flock ... bench/origins.sh), or taken here.
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

# The tools, as src/test/setup/test-packages.sh gets them.
packages=""
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || packages="$packages nginx"
command -v wrk >/dev/null 2>&1 || packages="$packages wrk"
if [ -n "$packages" ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "origins: installing$packages"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$packages >/dev/null || true
  else
    echo "origins: missing$packages; install with: sudo apt-get install -y$packages"
  fi
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { echo "nginx is missing (sudo apt-get install -y nginx): nothing to compare with"; exit 2; }
HAVE_WRK=1
command -v wrk >/dev/null 2>&1 || { HAVE_WRK=0; echo "wrk is missing (sudo apt-get install -y wrk): the HTTP part is skipped"; }

# Each proxied connection holds two sockets in the proxy: 8,000 connections need 16,000 files and some spare.
ulimit -n 20000 2>/dev/null || { echo "cannot raise the open files limit to 20000 (hard limit $(ulimit -Hn))"; exit 2; }

if [ "$BUILD" = 1 ]; then
  ./mvnw -q -B -o package -DskipTests
  ./mvnw -q -B -o -f bench/loadgen/pom.xml package
fi
OUT=bench/results
mkdir -p "$OUT"
RESULTS="$OUT/origins-$(date -u +%Y%m%d-%H%M).txt"
TMP=$(mktemp -d)
HZ=$(getconf CLK_TCK)
LOADGEN="taskset -c $CLIENT_CPU java -Xms256m -Xmx1g -jar bench/loadgen/target/loadgen.jar"
ORIGIN_PORT=$PORT
declare -A PROXY_PORT=([nginx]=$((PORT + 1)) [edgesocket]=$((PORT + 2)) [edgesocket-1loop]=$((PORT + 3)))
declare -A PID=() # the process measured: nginx's worker, edgesocket's JVM
STARTED_PIDS=()

for p in $ORIGIN_PORT "${PROXY_PORT[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "port $p is in use: set PORT to a free range"; exit 1; fi
done
cleanup() {
  local p
  for p in "${STARTED_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${STARTED_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

wait_port() { # port pid log
  for _ in $(seq 1 120); do
    kill -0 "$2" 2>/dev/null || { echo "process $2 died:"; tail -20 "$3"; exit 1; }
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.5
  done
  echo "nothing listens on $1 after 60 s: $3"; exit 1
}

# The origin, beside the clients.
taskset -c "$CLIENT_CPU" java -Xms256m -Xmx1g -XX:+UseG1GC -cp bench/loadgen/target/loadgen.jar \
  dev.edgesocket.bench.VertxOriginServer "$ORIGIN_PORT" > "$TMP/origin.log" 2>&1 &
STARTED_PIDS+=($!)
wait_port "$ORIGIN_PORT" $! "$TMP/origin.log"

start_nginx() {
  mkdir -p "$TMP/nginx"
  cat > "$TMP/nginx/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 1;
worker_rlimit_nofile 20000;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 20000; }
http {
  access_log off;
  client_body_temp_path $TMP/nginx/body;
  proxy_temp_path $TMP/nginx/proxy;
  fastcgi_temp_path $TMP/nginx/fastcgi;
  uwsgi_temp_path $TMP/nginx/uwsgi;
  scgi_temp_path $TMP/nginx/scgi;
  upstream origin {
    server 127.0.0.1:$ORIGIN_PORT;
    keepalive 256;
  }
  # "Connection: upgrade" only for upgrades, so plain requests keep their upstream connection alive.
  map \$http_upgrade \$connection_upgrade {
    default upgrade;
    ''      '';
  }
  server {
    listen 127.0.0.1:${PROXY_PORT[nginx]};
    location / {
      proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection \$connection_upgrade;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Host \$host;
      proxy_read_timeout 600s;
      proxy_send_timeout 600s;
    }
  }
}
EOF
  taskset -c "$PROXY_CPU" "$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" > "$TMP/nginx.log" 2>&1 &
  local master=$!
  STARTED_PIDS+=("$master")
  wait_port "${PROXY_PORT[nginx]}" "$master" "$TMP/nginx.log"
  for _ in $(seq 1 20); do # the master's one child
    PID[nginx]=$(cat "/proc/$master/task/$master/children" 2>/dev/null | awk '{ print $1 }')
    [ -n "${PID[nginx]}" ] && break
    sleep 0.25
  done
  [ -n "${PID[nginx]}" ] || { echo "nginx's worker not found"; exit 1; }
}
start_edgesocket() { # name [more JVM options]
  local name=$1
  shift
  taskset -c "$PROXY_CPU" java -Xms512m -Xmx512m -XX:+UseG1GC -XX:+AlwaysPreTouch \
    -Dquarkus.http.port="${PROXY_PORT[$name]}" -Dquarkus.log.level=WARN \
    '-Dedgesocket.zones.bench.path=/*' \
    "-Dedgesocket.zones.bench.origin.url=http://127.0.0.1:$ORIGIN_PORT" \
    -Dedgesocket.zones.bench.websockets.max-connections=20000 ${EDGESOCKET_OPTS:-} "$@" \
    -jar target/quarkus-app/quarkus-run.jar > "$TMP/$name.log" 2>&1 &
  PID[$name]=$!
  STARTED_PIDS+=($!)
  wait_port "${PROXY_PORT[$name]}" $! "$TMP/$name.log"
}
for x in $PROXIES; do
  case $x in
    nginx) start_nginx ;;
    edgesocket) start_edgesocket edgesocket ;;
    # The same with one event loop: both legs of every exchange on one thread (see RESULTS.md, Origins).
    edgesocket-1loop) start_edgesocket edgesocket-1loop -Dquarkus.vertx.event-loops-pool-size=1 ;;
    *) echo "unknown proxy $x (nginx, edgesocket, edgesocket-1loop)"; exit 2 ;;
  esac
done

ticks() { awk '{ s = $0; sub(/^.*\) /, "", s); split(s, f, " "); print f[12] + f[13] }' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
files() { ls "/proc/$1/fd" | wc -l; }
live_heap_kib() { # total of the class histogram: a full GC and the live objects in one attach
  jcmd "$1" GC.class_histogram | awk '/^Total/ { printf "%d", $3 / 1024 }'
}
field() { grep -oE "(^| )$1=[0-9.]+" <<< "$2" | head -1 | cut -d= -f2; }
us() { # wrk's "1.23ms" -> microseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) f = 1; else if (v ~ /ms$/) f = 1000; else if (v ~ /s$/) f = 1e6; printf "%.0f", n * f }'
}

TSV=$TMP/results.tsv
: > "$TSV"
{
  echo "# bench/origins.sh, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench || echo ' (with uncommitted changes)')"
  echo "# machine: $(nproc) cores (shared with other work), $(java -version 2>&1 | head -1), $($NGINX -v 2>&1), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# proxies on CPU $PROXY_CPU (nginx: 1 worker; edgesocket: -Xms512m -Xmx512m G1, Pull Zone /*); origin (Vert.x, 1 event loop) and clients on CPU $CLIENT_CPU"
  echo "# EDGESOCKET_OPTS=\"${EDGESOCKET_OPTS:-}\" WARM=$WARM PROFILE=$PROFILE"
  echo "# ROUNDS=$ROUNDS WARMUP=$WARMUP MEASURE=$MEASURE RATE=$RATE FIXED_SECONDS=$FIXED_SECONDS CONNECTIONS=$CONNECTIONS IN_FLIGHT=$IN_FLIGHT SIZE=$SIZE HTTP_CONNECTIONS=$HTTP_CONNECTIONS HTTP_SECONDS=$HTTP_SECONDS IDLE_CONNECTIONS=$IDLE_CONNECTIONS"
} | tee "$RESULTS"

# Warm-up, unmeasured: each proxy once through both loads, so that the first round does not measure edgesocket's JIT.
if [ "$WARM" = 1 ]; then
  for x in $PROXIES; do
    echo "warm-up: $x"
    $LOADGEN echo url="ws://127.0.0.1:${PROXY_PORT[$x]}/echo" connections="$CONNECTIONS" inFlight="$IN_FLIGHT" \
      size="$SIZE" warmup=1 seconds=5 > /dev/null 2>&1 || { echo "the load generator failed against $x"; exit 1; }
    if [ "$HAVE_WRK" = 1 ]; then
      taskset -c "$CLIENT_CPU" wrk -t1 -c"$HTTP_CONNECTIONS" -d6s "http://127.0.0.1:${PROXY_PORT[$x]}/hello" > /dev/null
    fi
  done
fi

for round in $(seq 1 "$ROUNDS"); do
  for x in $PROXIES; do
    url=ws://127.0.0.1:${PROXY_PORT[$x]}/echo
    out=$($LOADGEN echo url="$url" connections="$CONNECTIONS" inFlight="$IN_FLIGHT" size="$SIZE" warmup="$WARMUP" \
      seconds="$MEASURE" thenRate="$RATE" thenSeconds="$FIXED_SECONDS" serverPid="${PID[$x]}" clockTicks="$HZ" 2>&1) \
      || { echo "$out"; echo "the load generator failed against $x"; exit 1; }
    echo "$out" | grep -E '^(RESULT|SERVERCPU)' | sed "s/^/round=$round proxy=$x /" | tee -a "$RESULTS"
    closed=$(grep '^RESULT mode=echo' <<< "$out"); fixed=$(grep '^RESULT mode=rate' <<< "$out")
    cpu_closed=$(grep '^SERVERCPU mode=echo' <<< "$out"); cpu_fixed=$(grep '^SERVERCPU mode=rate' <<< "$out")
    printf 'ws\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$x" "$(field msgsPerSec "$closed")" "$(field p99us "$closed")" \
      "$(field p50us "$fixed")" "$(field p99us "$fixed")" "$(field serverUsPerEcho "$cpu_closed")" \
      "$(field serverUsPerEcho "$cpu_fixed")" "$(( $(field errors "$closed") + $(field errors "$fixed") ))" >> "$TSV"
    if [ "$HAVE_WRK" = 1 ]; then
      http=http://127.0.0.1:${PROXY_PORT[$x]}/hello
      taskset -c "$CLIENT_CPU" wrk -t1 -c"$HTTP_CONNECTIONS" -d2s "$http" > /dev/null
      t0=$(ticks "${PID[$x]}")
      w=$(taskset -c "$CLIENT_CPU" wrk -t1 -c"$HTTP_CONNECTIONS" -d"${HTTP_SECONDS}s" --latency "$http")
      t1=$(ticks "${PID[$x]}")
      rps=$(awk '/^Requests\/sec:/ { print $2 }' <<< "$w")
      total=$(awk '/requests in/ { print $1 }' <<< "$w")
      p50=$(us "$(awk '$1 == "50%" { print $2 }' <<< "$w")"); p99=$(us "$(awk '$1 == "99%" { print $2 }' <<< "$w")")
      bad=$(awk '/Non-2xx|Socket errors/' <<< "$w" | tr '\n' ' ')
      cpu=$(awk -v t=$((t1 - t0)) -v hz="$HZ" -v n="$total" 'BEGIN { printf "%.2f", 1e6 * t / hz / n }')
      echo "round=$round proxy=$x HTTP requestsPerSec=$rps p50us=$p50 p99us=$p99 serverUsPerRequest=$cpu requests=$total ${bad:-errors=0}" | tee -a "$RESULTS"
      printf 'http\t%s\t%s\t%s\t%s\t%s\n' "$x" "$rps" "$p50" "$p99" "$cpu" >> "$TSV"
    fi
  done
done

# Idle memory: IDLE_CONNECTIONS proxied connections held, the proxy's growth over its own baseline.
for x in $PROXIES; do
  [ "$IDLE_CONNECTIONS" -gt 0 ] || break
  pid=${PID[$x]}
  heap0=0; heap1=0
  [[ $x == edgesocket* ]] && heap0=$(live_heap_kib "$pid")
  sleep 1
  rss0=$(rss_kib "$pid"); files0=$(files "$pid")
  hold_log=$TMP/hold-$x.log
  $LOADGEN hold url="ws://127.0.0.1:${PROXY_PORT[$x]}/echo" connections="$IDLE_CONNECTIONS" seconds=12 > "$hold_log" 2>&1 &
  hold=$!
  STARTED_PIDS+=("$hold")
  for _ in $(seq 1 240); do grep -q READY "$hold_log" && break; kill -0 "$hold" 2>/dev/null || break; sleep 0.5; done
  grep -q READY "$hold_log" || { echo "the hold client failed against $x:"; tail -5 "$hold_log"; exit 1; }
  sleep 3
  [[ $x == edgesocket* ]] && heap1=$(live_heap_kib "$pid")
  sleep 1
  rss1=$(rss_kib "$pid"); files1=$(files "$pid")
  wait "$hold" || true
  sleep 3
  files2=$(files "$pid")
  opened=$(grep -oE 'opened [0-9]+ of [0-9]+ in [0-9.]+ s \([0-9]+ failed\)' "$hold_log")
  held=$(grep '^RESULT' "$hold_log" | grep -oE 'wronglyClosed=[0-9]+')
  per=$(awk -v r=$((rss1 - rss0)) -v h=$((heap1 - heap0)) -v n="$IDLE_CONNECTIONS" 'BEGIN { printf "%.1f", (r + h) * 1024 / n / 1024 }')
  echo "proxy=$x IDLE connections=$IDLE_CONNECTIONS $opened $held rssKiB=$rss0->$rss1 liveHeapKiB=$heap0->$heap1 KiBPerConnection=$per openFiles=$files0->$files1->$files2(after)" | tee -a "$RESULTS"
  printf 'idle\t%s\t%s\n' "$x" "$per" >> "$TSV"
done

# The table: means over the rounds, and edgesocket / nginx.
{
  echo
  echo "== summary (mean of $ROUNDS rounds; ratio = edgesocket / nginx)"
  awk -F'\t' '
    function add(k, v) { sum[k] += v; cnt[k]++ }
    $1 == "ws" { add($2 " echo/s", $3); add($2 " echo p99 closed us", $4); add($2 " fixed p50 us", $5); add($2 " fixed p99 us", $6);
                 add($2 " cpu us/echo closed", $7); add($2 " cpu us/echo fixed", $8); err[$2] += $9 }
    $1 == "http" { add($2 " http req/s", $3); add($2 " http p50 us", $4); add($2 " http p99 us", $5); add($2 " cpu us/req", $6) }
    $1 == "idle" { add($2 " KiB/conn", $3) }
    function m(k) { return cnt[k] ? sum[k] / cnt[k] : 0 }
    function row(name, k, better,   n, e) {
      n = m("nginx " k); e = m("edgesocket " k)
      if (!cnt["nginx " k] && !cnt["edgesocket " k]) return
      printf "%-44s %12.1f %12.1f %8s  (%s)\n", name, n, e, (n > 0 ? sprintf("%.2f", e / n) : "-"), better
    }
    END {
      printf "%-44s %12s %12s %8s\n", "", "nginx", "edgesocket", "ratio"
      row("WS echoes/s, closed loop", "echo/s", "higher is better; goal >= 1")
      row("WS p99 us, closed loop", "echo p99 closed us", "lower is better")
      row("WS p50 us at the fixed rate", "fixed p50 us", "lower is better")
      row("WS p99 us at the fixed rate", "fixed p99 us", "lower is better; goal <= 1")
      row("proxy CPU us per echo (2 msgs), closed loop", "cpu us/echo closed", "goal <= 1")
      row("proxy CPU us per echo (2 msgs), fixed rate", "cpu us/echo fixed", "goal <= 1")
      row("HTTP requests/s (wrk)", "http req/s", "higher is better; goal >= 1")
      row("HTTP p50 us (wrk)", "http p50 us", "lower is better")
      row("HTTP p99 us (wrk)", "http p99 us", "lower is better; goal <= 1")
      row("proxy CPU us per HTTP request", "cpu us/req", "lower is better")
      row("idle KiB per proxied connection", "KiB/conn", "lower is better")
      printf "WS errors: nginx %d, edgesocket %d\n", err["nginx"], err["edgesocket"]
    }' "$TSV"
} | tee -a "$RESULTS"

if [ "$PROFILE" = 1 ] && [[ " $PROXIES " == *" edgesocket "* ]]; then
  jfr_file=$TMP/edgesocket.jfr
  jcmd "${PID[edgesocket]}" JFR.start name=origins settings=profile filename="$jfr_file" > /dev/null
  $LOADGEN echo url="ws://127.0.0.1:${PROXY_PORT[edgesocket]}/echo" connections="$CONNECTIONS" inFlight="$IN_FLIGHT" \
    size="$SIZE" warmup=1 seconds="$MEASURE" > /dev/null 2>&1 || true
  jcmd "${PID[edgesocket]}" JFR.stop name=origins > /dev/null
  {
    echo
    echo "== JFR of edgesocket during a closed-loop echo run (not part of the figures): hot methods, top frames"
    jfr view --width 160 hot-methods "$jfr_file" 2>&1 | head -30
    echo "the recording: $jfr_file"
  } | tee -a "$RESULTS"
  if [ "$HAVE_WRK" = 1 ]; then
    jfr_http=$TMP/edgesocket-http.jfr
    jcmd "${PID[edgesocket]}" JFR.start name=origins-http settings=profile filename="$jfr_http" > /dev/null
    taskset -c "$CLIENT_CPU" wrk -t1 -c"$HTTP_CONNECTIONS" -d"${HTTP_SECONDS}s" "http://127.0.0.1:${PROXY_PORT[edgesocket]}/hello" > /dev/null
    jcmd "${PID[edgesocket]}" JFR.stop name=origins-http > /dev/null
    {
      echo
      echo "== JFR of edgesocket during a wrk run (not part of the figures): hot methods, top frames"
      jfr view --width 160 hot-methods "$jfr_http" 2>&1 | head -30
      echo "the recording: $jfr_http"
    } | tee -a "$RESULTS"
  fi
fi
echo "saved $RESULTS"
