#!/usr/bin/env bash
# Tollgate's side-by-side load test (issue 11), loopback only, bounded in time.
#
#   bench/run.sh                      # ~5 minutes; prints the table, writes bench/results/<date>.md
#   BENCH_DURATION=30 bench/run.sh    # longer runs
#
# What runs, all on 127.0.0.1:
#   upstream  nginx answering every chat completion at once with a fixed OpenAI body (or a fixed
#             SSE stream when asked for one)                                  :UPSTREAM_PORT (18081)
#   nginx     nginx as a plain reverse proxy in front of it: the limit        :PROXY_PORT    (18082)
#   tollgate  target/tollgate.jar in front of the same upstream, with auth, attribution, two
#             budgets (admission on every request) and the SQLite ledger on  :TOLLGATE_PORT (18400)
#   tollgate-nobudgets  (only when named in BENCH_TARGETS) the same without budgets, so without
#             admission and its prompt token count: shows what admission costs   :TOLLGATE_PORT+1
# and wrk drives each target in turn:
#   throughput  wrk -t2 -c64 -d$BENCH_DURATION s per body size (600 B, 1 KB, 8 KB, 64 KB) and SSE
#   latency     wrk -t2 -c$BENCH_RATE_CONNECTIONS, each connection pausing between its requests
#               (wrk's delay()), so that the offered load is ~$BENCH_RATE req/s: latency at a
#               fixed, moderate rate, where "added latency" is meaningful. Not wrk2: the rate is
#               closed-loop (a slow answer delays the next request); the report prints the rate reached.
#
# Settings (environment):
#   BENCH_DURATION=10        seconds per throughput run
#   BENCH_RATE_DURATION=20   seconds per fixed-rate latency run
#   BENCH_WARMUP=20          seconds of load on Tollgate before measuring (JIT), spread over every case's body
#   BENCH_RATE=1000          target req/s of the latency run; BENCH_RATE_CONNECTIONS=10
#   BENCH_CASES="600b 1k 8k 64k sse"   BENCH_TARGETS="direct nginx tollgate" (+ tollgate-nobudgets)
#   BENCH_CONNECTIONS=64 BENCH_THREADS=2
#   BENCH_JFR=1              record a JFR profile of each Tollgate (kept in bench/results/; summarise
#                            with java bench/tools/JfrSummary.java FILE)
#   BENCH_NICE=-10           priority of every process of the test (root only; 0 when not root), so that
#                            other work on a shared machine disturbs it less
#   BENCH_QUIET_WAIT=60      seconds in all to wait for other processes to go quiet before runs
#   TOLLGATE_JAVA_OPTS="-Xmx1g"   JVM options of the Tollgate process
#   BENCH_KEEP=1             keep the work directory (logs, ledger, configs)
set -euo pipefail
shopt -u patsub_replacement 2>/dev/null || true

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

DURATION=${BENCH_DURATION:-10}
RATE_DURATION=${BENCH_RATE_DURATION:-20}
WARMUP=${BENCH_WARMUP:-20}
RATE=${BENCH_RATE:-1000}
RATE_CONNS=${BENCH_RATE_CONNECTIONS:-10}
CONNS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
CASES=${BENCH_CASES:-"600b 1k 8k 64k sse"}
TARGETS=${BENCH_TARGETS:-"direct nginx tollgate"}
UPSTREAM_PORT=${UPSTREAM_PORT:-18081}
PROXY_PORT=${PROXY_PORT:-18082}
TOLLGATE_PORT=${TOLLGATE_PORT:-18400}
BENCH_KEY=tg-bench-secret-0123456789
TOLLGATE_JAVA_OPTS=${TOLLGATE_JAVA_OPTS:-"-Xmx1g"}
export BENCH_KEY UPSTREAM_PORT TOLLGATE_PORT
# On a shared machine other people's builds compete for the two cores. As root, the test's processes
# get a higher priority: nice for each, and the same for this session's scheduler autogroup (with
# autogroups, nice alone only ranks processes within one session); the autogroup's old value is
# put back on exit.
NICE=(); AUTOGROUP_OLD=""
if [[ $(id -u) == 0 && "${BENCH_NICE:--10}" != 0 ]]; then
  NICE=(nice -n "${BENCH_NICE:--10}")
  if [[ -w /proc/$$/autogroup ]]; then
    AUTOGROUP_OLD=$(awk '{print $NF}' "/proc/$$/autogroup")
    echo "${BENCH_NICE:--10}" >"/proc/$$/autogroup" 2>/dev/null || AUTOGROUP_OLD=""
  fi
fi

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---- tools --------------------------------------------------------------------------------------
PATH=$PATH:/usr/sbin:/sbin
if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
  log "installing wrk and nginx from Debian"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx >/dev/null
  # The package may start a system nginx on port 80; it is not ours to keep running.
  if command -v systemctl >/dev/null && systemctl is-active --quiet nginx 2>/dev/null; then systemctl stop nginx || true; fi
fi
if [[ -z "${JAVA_HOME:-}" && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
"$JAVA" -version 2>&1 | grep -Eq 'version "(2[1-9]|[3-9][0-9])' || die "Java 21 or newer is needed (set JAVA_HOME)"
if [[ ! -f target/tollgate.jar || "${BENCH_BUILD:-0}" == 1 ]]; then
  log "building target/tollgate.jar"
  ./mvnw -q -o -DskipTests package || ./mvnw -q -DskipTests package
fi
TOLLGATE2_PORT=$((TOLLGATE_PORT + 1))
for port in "$UPSTREAM_PORT" "$PROXY_PORT" "$TOLLGATE_PORT" "$TOLLGATE2_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then die "port $port is in use; set UPSTREAM_PORT/PROXY_PORT/TOLLGATE_PORT"; fi
done

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- work directory and processes ---------------------------------------------------------------
WORK=$(mktemp -d /tmp/tollgate-bench.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [[ "${BENCH_KEEP:-0}" == 1 ]]; then log "work directory kept: $WORK"; else rm -rf "$WORK"; fi
  [[ -z $AUTOGROUP_OLD ]] || echo "$AUTOGROUP_OLD" >"/proc/$$/autogroup" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

BODIES=$ROOT/bench/bodies
[[ -f $BODIES/chat-1k.json ]] || "$JAVA" bench/tools/MakeBodies.java "$BODIES" >/dev/null

# nginx takes no config token over 4 KB, so the 32 KB stream is cut into constant map variables
# ($sse0, $sse1…) at event boundaries and the answer is their concatenation.
awk 'BEGIN { RS = "\n\n"; n = 0; cur = "" }
  function flush() { if (cur != "") { printf "  map \"\" $sse%d { default \x27%s\x27; }\n", n, cur > maps; vars = vars "$sse" n; n++; cur = "" } }
  NF { ev = $0 "\n\n"; if (length(cur) + length(ev) > 3500) flush(); cur = cur ev }
  END { flush(); printf "%s", vars > names }' maps="$WORK/sse-maps.conf" names="$WORK/sse-vars" "$BODIES/stream.sse"
render() { # template out port: fills @WORK@ @PORT@ @UPSTREAM@ @COMPLETION@ @SSE_MAPS@ @SSE_VARS@
  local conf completion maps vars
  conf=$(<"$1"); completion=$(<"$BODIES/completion.json"); maps=$(<"$WORK/sse-maps.conf"); vars=$(<"$WORK/sse-vars")
  conf=${conf//@WORK@/"$WORK"}; conf=${conf//@UPSTREAM@/"$UPSTREAM_PORT"}; conf=${conf//@COMPLETION@/"$completion"}
  conf=${conf//@SSE_MAPS@/"$maps"}; conf=${conf//@SSE_VARS@/"$vars"}
  printf '%s\n' "${conf//@PORT@/"$3"}" >"$2"
}
mkdir -m 777 -p "$WORK/upstream-body" "$WORK/proxy-body" "$WORK/proxy-temp"
render bench/nginx/upstream.conf.in "$WORK/upstream.conf" "$UPSTREAM_PORT"
render bench/nginx/proxy.conf.in "$WORK/proxy.conf" "$PROXY_PORT"
nginx -t -q -p "$WORK" -e "$WORK/nginx-test.log" -c "$WORK/upstream.conf" || die "upstream nginx config invalid"

"${NICE[@]}" nginx -p "$WORK" -e "$WORK/upstream-error.log" -c "$WORK/upstream.conf" & UPSTREAM_PID=$!; PIDS+=("$UPSTREAM_PID")
"${NICE[@]}" nginx -p "$WORK" -e "$WORK/proxy-error.log" -c "$WORK/proxy.conf" & PROXY_PID=$!; PIDS+=("$PROXY_PID")

JFR_FILE=""
JFR_OPTS=()
if [[ "${BENCH_JFR:-0}" == 1 ]]; then
  mkdir -p bench/results
  JFR_FILE=$ROOT/bench/results/tollgate-$(date -u +%Y%m%dT%H%M%SZ).jfr
  JFR_OPTS=("-XX:StartFlightRecording=filename=$JFR_FILE,settings=profile,dumponexit=true")
fi
# Run a copy: a rebuild of target/ during the run must not change the jar under a running JVM.
cp target/tollgate.jar "$WORK/tollgate.jar"
# shellcheck disable=SC2086
BENCH_DIR=$WORK "${NICE[@]}" "$JAVA" $TOLLGATE_JAVA_OPTS "${JFR_OPTS[@]}" -jar "$WORK/tollgate.jar" serve --config bench/tollgate-bench.yaml \
  >"$WORK/tollgate.log" 2>&1 & TOLLGATE_PID=$!; PIDS+=("$TOLLGATE_PID")

TOLLGATE2_PID=""
if [[ " $TARGETS " == *" tollgate-nobudgets "* ]]; then
  sed -e '/^    budgets:/,/^ *- { window: minute/d' -e 's/^  bench:$/  bench: {}/' bench/tollgate-bench.yaml >"$WORK/tollgate-nobudgets.yaml"
  mkdir -p "$WORK/nobudgets"
  JFR2_OPTS=()
  [[ -z $JFR_FILE ]] || JFR2_OPTS=("-XX:StartFlightRecording=filename=${JFR_FILE%.jfr}-nobudgets.jfr,settings=profile,dumponexit=true")
  # shellcheck disable=SC2086
  BENCH_DIR=$WORK/nobudgets TOLLGATE_PORT=$TOLLGATE2_PORT "${NICE[@]}" "$JAVA" $TOLLGATE_JAVA_OPTS "${JFR2_OPTS[@]}" -jar "$WORK/tollgate.jar" serve \
    --config "$WORK/tollgate-nobudgets.yaml" >"$WORK/tollgate-nobudgets.log" 2>&1 & TOLLGATE2_PID=$!; PIDS+=("$TOLLGATE2_PID")
fi

wait_http() { # url pid log
  for _ in $(seq 300); do
    curl -fs -o /dev/null "$1" 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || { cat "$3" >&2; die "Tollgate exited"; }
    sleep 0.1
  done
  die "nothing answers at $1"
}
wait_http "http://127.0.0.1:$TOLLGATE_PORT/healthz" "$TOLLGATE_PID" "$WORK/tollgate.log"
[[ -z $TOLLGATE2_PID ]] || wait_http "http://127.0.0.1:$TOLLGATE2_PORT/healthz" "$TOLLGATE2_PID" "$WORK/tollgate-nobudgets.log"

url_of() { # target
  case $1 in
    direct) echo "http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions" ;;
    nginx) echo "http://127.0.0.1:$PROXY_PORT/v1/chat/completions" ;;
    tollgate) echo "http://127.0.0.1:$TOLLGATE_PORT/v1/chat/completions" ;;
    tollgate-nobudgets) echo "http://127.0.0.1:$TOLLGATE2_PORT/v1/chat/completions" ;;
  esac
}
body_of() { # case
  case $1 in sse) echo "$BODIES/chat-sse-1k.json" ;; *) echo "$BODIES/chat-$1.json" ;; esac
}

# ---- smoke test: every target answers every case correctly ---------------------------------------
for target in $TARGETS; do
  for c in $CASES; do
    accept=application/json; [[ $c == sse ]] && accept=text/event-stream
    out=$(curl -s -D "$WORK/headers" -o - -H "Authorization: Bearer $BENCH_KEY" -H "Content-Type: application/json" \
      -H "Accept: $accept" --data-binary "@$(body_of "$c")" "$(url_of "$target")") || die "$target $c: request failed"
    grep -q '^HTTP/1.1 200' "$WORK/headers" || die "$target $c: $(head -1 "$WORK/headers") $(head -c 300 <<<"$out")"
    if [[ $c == sse ]]; then grep -q 'data: \[DONE\]' <<<"$out" || die "$target sse: no [DONE]"
    else grep -q '"chat.completion"' <<<"$out" || die "$target $c: not a chat completion"; fi
    if [[ $target == tollgate* && $c != sse ]]; then grep -qi '^x-tollgate-cost-usd' "$WORK/headers" || die "tollgate: no cost header"; fi
  done
done
log "all targets answer; work directory $WORK"

# ---- measurement helpers ------------------------------------------------------------------------
TICKS=$(getconf CLK_TCK)
pids_of() { # target → the proxy's processes (nginx: master and workers)
  case $1 in
    direct) echo "" ;;
    nginx) echo "$PROXY_PID $(pgrep -P "$PROXY_PID" | tr '\n' ' ')" ;;
    tollgate) echo "$TOLLGATE_PID" ;;
    tollgate-nobudgets) echo "$TOLLGATE2_PID" ;;
  esac
}
upstream_pids() { echo "$UPSTREAM_PID $(pgrep -P "$UPSTREAM_PID" | tr '\n' ' ')"; }
cpu_ticks() { # pids → utime+stime summed
  local t=0 pid
  for pid in "$@"; do
    [[ -r /proc/$pid/stat ]] || continue
    # fields 14 and 15 after the ")" that ends the command name
    t=$((t + $(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')))
  done
  echo "$t"
}
rss_kb() { # pids → VmRSS summed, kB
  local t=0 pid v
  for pid in "$@"; do v=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0); t=$((t + ${v:-0})); done
  echo "$t"
}

# Other engineers' builds on a shared machine skew every figure: wait (bounded) for a quiet machine
# before each run, and report per run the CPU used by processes other than wrk, upstream and proxy.
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
children_ticks() { # user+sys of this shell's finished children, in clock ticks
  times | tail -1 | awk -v t="$TICKS" '{
    split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%d", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * t }'
}
QUIET_BUDGET=${BENCH_QUIET_WAIT:-60}
wait_quiet() {
  local a b ours0 ours1 other waited=0 all
  all="$(upstream_pids) $(pids_of nginx) $TOLLGATE_PID $TOLLGATE2_PID"
  while (( QUIET_BUDGET > 0 )); do
    local t0 t1
    # shellcheck disable=SC2086
    t0=$(date +%s%N); a=$(busy_ticks); ours0=$(cpu_ticks $all); sleep 1
    # shellcheck disable=SC2086
    b=$(busy_ticks); ours1=$(cpu_ticks $all); t1=$(date +%s%N)
    other=$(( ((b - a) - (ours1 - ours0)) * 1000000000 / (t1 - t0) )) # ticks per second
    (( other <= TICKS * 3 / 10 )) && return 0
    (( waited++ == 0 )) && log "waiting for a quiet machine: other processes keep $(( other * 100 / TICKS ))% of a core busy"
    QUIET_BUDGET=$((QUIET_BUDGET - 1))
  done
  return 0
}

RAW=$WORK/raw.tsv
: >"$RAW"
run_wrk() { # kind target case threads connections duration [delay_ms]
  local kind=$1 target=$2 c=$3 threads=$4 conns=$5 secs=$6 delay=${7:-0}
  local pids ups before ubefore after uafter result sse=0
  pids=$(pids_of "$target"); ups=$(upstream_pids)
  [[ $c == sse ]] && sse=1
  wait_quiet
  local url body busy0 busy1 kids0 kids1
  url=$(url_of "$target"); body=$(body_of "$c")
  # shellcheck disable=SC2086
  before=$(cpu_ticks $pids); ubefore=$(cpu_ticks $ups); busy0=$(busy_ticks); kids0=$(children_ticks)
  BENCH_BODY=$body BENCH_SSE=$sse BENCH_DELAY_MS=$delay \
    "${NICE[@]}" wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 5s -s bench/lua/post.lua "$url" >"$WORK/wrk.out"
  # shellcheck disable=SC2086
  after=$(cpu_ticks $pids); uafter=$(cpu_ticks $ups); busy1=$(busy_ticks); kids1=$(children_ticks)
  result=$(grep '^RESULT' "$WORK/wrk.out" || true)
  [[ -n $result ]] || die "wrk printed no result for $target $c: $(cat "$WORK/wrk.out")"
  local foreign=$(( (busy1 - busy0) - (after - before) - (uafter - ubefore) - (kids1 - kids0) ))
  (( foreign < 0 )) && foreign=0
  local rss=0 hwm=0
  if [[ -n $pids ]]; then
    # shellcheck disable=SC2086
    rss=$(rss_kb $pids)
    [[ $target == tollgate* ]] && hwm=$(awk '/^VmHWM/ {print $2}' "/proc/${pids// /}/status")
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$target" "$c" "$conns" "$delay" \
    "${result#RESULT }" "$((after - before))" "$((uafter - ubefore))" "$TICKS" "$rss" "$hwm" "$foreign" >>"$RAW"
  log "$kind $target $c: $(sed -E 's/.*requests=([0-9]+).*duration_us=([0-9]+).*p50_us=([0-9]+).*p99_us=([0-9]+).*/\1 requests, p50 \3 us, p99 \4 us/' <<<"$result")"
}

# ---- warm-up: let the JIT compile Tollgate's request path -----------------------------------------
for target in $TARGETS; do
  [[ $target == tollgate* && $WARMUP -gt 0 ]] || continue
  log "warming up $target for ${WARMUP}s"
  # Every body the runs send, in turn: the first measured case used to run half-compiled (a pass with
  # whatever case ran first measured slow: 1 KB at 181 µs of CPU a request first, 116 µs after the others).
  per=$(( WARMUP / 4 > 1 ? WARMUP / 4 : 1 ))
  for body in chat-600b.json chat-1k.json chat-8k.json; do
    BENCH_BODY=$BODIES/$body "${NICE[@]}" wrk -t"$THREADS" -c"$CONNS" -d"${per}s" -s bench/lua/post.lua "$(url_of "$target")" >/dev/null
  done
  BENCH_BODY=$BODIES/chat-sse-1k.json BENCH_SSE=1 "${NICE[@]}" wrk -t"$THREADS" -c"$CONNS" -d"${per}s" -s bench/lua/post.lua "$(url_of "$target")" >/dev/null
done

# ---- throughput: wrk -t2 -c64, case by case, the targets one after another ---------------------------
for c in $CASES; do
  for target in $TARGETS; do
    run_wrk throughput "$target" "$c" "$THREADS" "$CONNS" "$DURATION"
    sleep 1
  done
done

# ---- latency at a fixed moderate rate (1 KB body) -------------------------------------------------------
DELAY_MS=$(( RATE_CONNS * 1000 / RATE ))
for target in $TARGETS; do
  run_wrk latency "$target" 1k "$THREADS" "$RATE_CONNS" "$RATE_DURATION" "$DELAY_MS"
  sleep 1
done

# ---- what Tollgate wrote, and the report ------------------------------------------------------------
LEDGER_PENDING=$(curl -s "http://127.0.0.1:$TOLLGATE_PORT/readyz" | sed -nE 's/.*"ledger_pending":([0-9]+).*/\1/p')
MACHINE="$(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM; load average at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg)"
JAVA_VERSION="$("$JAVA" -version 2>&1 | head -1); Tollgate $(git describe --always --dirty 2>/dev/null || echo '?'), jar built $(date -u -r target/tollgate.jar +%Y-%m-%dT%H:%MZ)"
NGINX_VERSION=$(nginx -v 2>&1 | sed 's/.*: //')
WRK_VERSION=$( (wrk -v 2>&1 || true) | head -1 | awk '{print $1, $2}')
mkdir -p bench/results
OUT=bench/results/$(date -u +%Y-%m-%d).md
n=2; while [[ -e $OUT ]]; do OUT=bench/results/$(date -u +%Y-%m-%d)-$n.md; n=$((n + 1)); done
"$JAVA" bench/tools/Report.java "$RAW" \
  "machine=$MACHINE" "java=$JAVA_VERSION" "nginx=$NGINX_VERSION" "wrk=$WRK_VERSION" \
  "settings=wrk -t$THREADS -c$CONNS -d${DURATION}s per throughput run; latency run -t$THREADS -c$RATE_CONNS, ${DELAY_MS} ms pause per connection, ${RATE_DURATION}s; Tollgate warm-up ${WARMUP}s; TOLLGATE_JAVA_OPTS=$TOLLGATE_JAVA_OPTS; processes run with ${NICE[*]:-default priority}" \
  "ledger_pending=${LEDGER_PENDING:-?}" "jfr=$JFR_FILE" >"$OUT"
cat "$OUT"
log "written: $OUT"
