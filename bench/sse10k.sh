#!/usr/bin/env bash
# 10,000 concurrent SSE streams through Tollgate (issue 11: "heap under 1 GB"), loopback only.
#
#   bench/sse10k.sh                  # ~2 minutes
#   SSE_STREAMS=2000 bench/sse10k.sh
#
# Tollgate runs bench/tollgate-bench.yaml (auth, attribution, budgets, SQLite ledger); the streams ask
# for model slow-stream, the simulator provider at 1 token/s (ttft 200 ms, 120 tokens), so every
# stream stays open for two minutes while bench/tools/SseHold.java opens them over SSE_RAMP seconds
# and holds them SSE_HOLD (+15) seconds more. With all of them open, it records Tollgate's heap
# (jcmd GC.heap_info, before and after a full GC), RSS, threads and file descriptors.
#
# File descriptors: the client and Tollgate each hold one socket per stream, so each process needs
# `ulimit -n` above SSE_STREAMS + ~500. The JVM raises its soft limit to the hard limit itself;
# this script checks the hard limit.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

STREAMS=${SSE_STREAMS:-10000}
RAMP=${SSE_RAMP:-20}
HOLD=${SSE_HOLD:-20}
TOLLGATE_PORT=${TOLLGATE_PORT:-18400}
TOLLGATE_JAVA_OPTS=${TOLLGATE_JAVA_OPTS:-"-Xmx1g"}
export TOLLGATE_PORT UPSTREAM_PORT=${UPSTREAM_PORT:-18081}
log() { printf '[sse10k %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

if [[ -z "${JAVA_HOME:-}" && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64; fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JCMD=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd
[[ -f target/tollgate.jar ]] || ./mvnw -q -o -DskipTests package || ./mvnw -q -DskipTests package
need=$((STREAMS + 500))
hard=$(ulimit -Hn)
[[ $hard == unlimited || $hard -ge $need ]] || die "ulimit -Hn is $hard; $STREAMS streams need at least $need open files per process"
ulimit -n "$hard" 2>/dev/null || true
if (exec 3<>"/dev/tcp/127.0.0.1/$TOLLGATE_PORT") 2>/dev/null; then die "port $TOLLGATE_PORT is in use"; fi

# As root, a higher priority for both processes and this session (see bench/run.sh), restored on exit.
NICE=(); AUTOGROUP_OLD=""
if [[ $(id -u) == 0 && "${BENCH_NICE:--10}" != 0 ]]; then
  NICE=(nice -n "${BENCH_NICE:--10}")
  if [[ -w /proc/$$/autogroup ]]; then
    AUTOGROUP_OLD=$(awk '{print $NF}' "/proc/$$/autogroup")
    echo "${BENCH_NICE:--10}" >"/proc/$$/autogroup" 2>/dev/null || AUTOGROUP_OLD=""
  fi
fi

WORK=$(mktemp -d /tmp/tollgate-sse10k.XXXXXX)
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [[ "${BENCH_KEEP:-0}" == 1 ]]; then log "work directory kept: $WORK"; else rm -rf "$WORK"; fi
  [[ -z $AUTOGROUP_OLD ]] || echo "$AUTOGROUP_OLD" >"/proc/$$/autogroup" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cp target/tollgate.jar "$WORK/tollgate.jar"
# shellcheck disable=SC2086
BENCH_DIR=$WORK "${NICE[@]}" "$JAVA" $TOLLGATE_JAVA_OPTS -Xlog:gc:file="$WORK/gc.log" -jar "$WORK/tollgate.jar" serve \
  --config bench/tollgate-bench.yaml >"$WORK/tollgate.log" 2>&1 & TG=$!; PIDS+=("$TG")
for _ in $(seq 300); do curl -fs -o /dev/null "http://127.0.0.1:$TOLLGATE_PORT/healthz" && break; sleep 0.1; done
curl -fs -o /dev/null "http://127.0.0.1:$TOLLGATE_PORT/healthz" || { cat "$WORK/tollgate.log"; die "Tollgate did not start"; }

sed 's/"bench-model"/"slow-stream"/' bench/bodies/chat-sse-1k.json >"$WORK/body.json"
rss() { awk '/^VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }
heap() { "$JCMD" "$TG" GC.heap_info 2>/dev/null | grep -Eo 'committed [0-9]+K, used [0-9]+K' | head -1 || true; }
IDLE_RSS=$(rss "$TG"); IDLE_HEAP=$(heap)
log "Tollgate idle: RSS ${IDLE_RSS} MB, heap $IDLE_HEAP; opening $STREAMS streams over ${RAMP}s"

"${NICE[@]}" "$JAVA" -Xmx1g -cp "$WORK/tollgate.jar" bench/tools/SseHold.java "http://127.0.0.1:$TOLLGATE_PORT/v1/chat/completions" \
  tg-bench-secret-0123456789 "$WORK/body.json" "$STREAMS" "$RAMP" "$((HOLD + 15))" >"$WORK/client.log" 2>&1 & CLIENT=$!; PIDS+=("$CLIENT")
for _ in $(seq $(( (RAMP + 60) * 2 ))); do
  grep -qs '^ALL_OPEN' "$WORK/client.log" && break
  kill -0 "$CLIENT" 2>/dev/null || break
  sleep 0.5
done
grep '^ALL_OPEN' "$WORK/client.log" >&2 || { cat "$WORK/client.log" >&2; die "the streams did not all open"; }
sleep 5 # let the last streams settle into their steady pace
OPEN_LINE=$(grep '^t=.*events=[0-9]' "$WORK/client.log" | tail -1)
FDS=$(find "/proc/$TG/fd" -mindepth 1 -maxdepth 1 | wc -l)
THREADS=$(awk '/^Threads/ {print $2}' "/proc/$TG/status")
CPU_BEFORE=$(sed 's/.*) //' "/proc/$TG/stat" | awk '{print $12 + $13}')
OPEN_RSS=$(rss "$TG"); OPEN_HEAP=$(heap)
sleep 5
CPU_AFTER=$(sed 's/.*) //' "/proc/$TG/stat" | awk '{print $12 + $13}')
"$JCMD" "$TG" GC.run >/dev/null
LIVE_HEAP=$(heap); LIVE_RSS=$(rss "$TG")
"$JCMD" "$TG" GC.class_histogram 2>/dev/null | head -18 | tail -16 >"$WORK/histogram.txt" || true
HWM=$(awk '/^VmHWM/ {printf "%.0f", $2/1024}' "/proc/$TG/status")
MAX_HEAP=$("$JCMD" "$TG" VM.flags 2>/dev/null | grep -Eo 'MaxHeapSize=[0-9]+' | head -1 | cut -d= -f2)
wait "$CLIENT" || true
DONE_LINE=$(grep '^DONE' "$WORK/client.log" || echo "DONE (missing)")
GC_PAUSE_MAX=$(grep -E 'Pause Young' "$WORK/gc.log" | grep -Eo '[0-9.]+ms$' | sort -n | tail -1 || true)

kb_to_mb() { sed -E 's/committed ([0-9]+)K, used ([0-9]+)K/\1 \2/' <<<"$1" | awk '{printf "used %.0f MB of %.0f MB committed", $2/1024, $1/1024}'; }
cat <<EOF
## 10,000 concurrent SSE streams ($(date -u +%Y-%m-%d))

- machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); $("$JAVA" -version 2>&1 | head -1)
- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); processes run with ${NICE[*]:-default priority}
- Tollgate: ${TOLLGATE_JAVA_OPTS}, max heap $((MAX_HEAP / 1048576)) MB; streams: $STREAMS via the simulator at 1 token/s, opened over ${RAMP}s, held ${HOLD}s
- client at measurement: ${OPEN_LINE}
- client at the end: ${DONE_LINE}

| | heap | RSS MB | threads | fds | CPU (cores) |
|---|---|---:|---:|---:|---:|
| idle, before the streams | $(kb_to_mb "$IDLE_HEAP") | $IDLE_RSS | | | |
| $STREAMS streams open | $(kb_to_mb "$OPEN_HEAP") | $OPEN_RSS | $THREADS | $FDS | $(awk -v a="$CPU_BEFORE" -v b="$CPU_AFTER" -v t="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", (b - a) / t / 5}') |
| same, after a full GC (live set) | $(kb_to_mb "$LIVE_HEAP") | $LIVE_RSS | | | |

Peak RSS (VmHWM): ${HWM} MB; longest young-collection pause: ${GC_PAUSE_MAX:-?}.

Live heap by class with the streams open (jcmd GC.class_histogram, top 15):

\`\`\`
$(cat "$WORK/histogram.txt")
\`\`\`
EOF
