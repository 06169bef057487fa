#!/usr/bin/env bash
# Times the admin API calls the console's overview and explorer pages make (src/main/resources/console/
# pages/overview.js, explorer.js), against a gateway started on an already filled storage — e.g. the
# ten-million-row ledger bench/reports.sh leaves with KEEP=1. Each call runs RUNS times after one
# warm-up; prints median and minimum per call, with the load average, and the gateway's answer size.
#
#   STORAGE=sqlite:/tmp/bench.db bench/console-calls.sh
#   STORAGE='postgresql://postgres@127.0.0.1:5432/test?schema=bench_reports' bench/console-calls.sh
#
# The org's time zone is Europe/Berlin, as bench-ledger's synthetic ledger. "Today" is the machine's
# date: the month to date is the calendar month the machine is in, as in the console. Stops the
# gateway at the end. Needs curl and target/tollgate.jar (TOLLGATE_JAR to use another).
# Then opens the console's pages (PAGES; empty for none) in headless Chromium with
# bench/tools/ConsolePages.java and times each until it has drawn everything it was loading.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${STORAGE:?set STORAGE to the filled storage URL}"
RUNS=${RUNS:-7}
PAGES=${PAGES-"overview explorer budgets my-usage?user=support-user1 chargeback adoption"}
PORT=${PORT:-18470}
JAR=${TOLLGATE_JAR:-target/tollgate.jar}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
TOKEN=bench-console-token-0123456789
dir=$(mktemp -d)
cat > "$dir/tollgate.yaml" <<YAML
server: { host: 127.0.0.1, port: $PORT }
storage: "$STORAGE"
counters: memory
admin: { token: $TOKEN }
org: { name: bench, time_zone: Europe/Berlin }
providers: { sim: { type: simulator } }
models: { m: { provider: sim, upstream: m, tier: economy, price: { input_per_mtok: 1, output_per_mtok: 1 } } }
YAML
"$JAVA" -Xmx2g -jar "$JAR" serve --config "$dir/tollgate.yaml" > "$dir/gateway.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 600); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  kill -0 $pid 2>/dev/null || { cat "$dir/gateway.log" >&2; exit 2; }
  sleep 1
done

today=$(TZ=Europe/Berlin date +%F)
month=$(TZ=Europe/Berlin date +%Y-%m-01)
tomorrow=$(TZ=Europe/Berlin date -d tomorrow +%F)
trend_from=$(TZ=Europe/Berlin date -d "$today -29 days" +%F)
[[ $month < $trend_from ]] && trend_from=$month
calls=(
  "overview: month to date|/admin/v1/usage"
  "overview: daily trend|/admin/v1/usage?granularity=day&from=$trend_from&to=$tomorrow"
  "overview: top teams|/admin/v1/usage?group_by=team"
  "overview: top workflows|/admin/v1/usage?group_by=workflow"
  "overview: top agents|/admin/v1/usage?group_by=agent"
  "overview: top models|/admin/v1/usage?group_by=model"
  "overview: budgets|/admin/v1/budgets/status"
  "overview: forecast|/admin/v1/forecast"
  "explorer: default (team, month to date)|/admin/v1/usage?from=$month&to=$tomorrow&group_by=team&granularity="
  "explorer: team x model by day|/admin/v1/usage?from=$month&to=$tomorrow&group_by=team,model&granularity=day"
  "explorer: team x agent|/admin/v1/usage?from=$month&to=$tomorrow&group_by=team,agent&granularity="
)
echo "storage: ${STORAGE%%\?*}; org zone Europe/Berlin; today $today; runs $RUNS (+1 warm-up)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for call in "${calls[@]}"; do
  name=${call%%|*}
  path=${call#*|}
  times=()
  status=$(curl -s -o "$dir/body" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT$path")
  for _ in $(seq 1 "$RUNS"); do
    times+=("$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT$path")")
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  median=$(echo "$sorted" | sed -n "$(( (RUNS + 1) / 2 ))p")
  min=$(echo "$sorted" | head -1)
  printf '%-42s status %s  median %6.0f ms  min %6.0f ms  (%s bytes; load %s)  %s\n' "$name" "$status" \
    "$(echo "$median * 1000" | bc)" "$(echo "$min * 1000" | bc)" "$(wc -c < "$dir/body")" \
    "$(cut -d' ' -f1 /proc/loadavg)" "$path"
done

# The pages themselves, in a browser: what a person waits for, scripts, charts and all.
if [[ -n $PAGES && -x /usr/bin/chromium ]]; then
  [[ -s target/test-classpath.txt ]] || ./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/test-classpath.txt >/dev/null
  echo "pages in headless Chromium (first visit with an empty cache, then $RUNS visits from the cache):"
  read -ra page_list <<< "$PAGES" # split on spaces only: a route's "?" is not a glob
  "$JAVA" -cp "$(cat target/test-classpath.txt)" bench/tools/ConsolePages.java "http://127.0.0.1:$PORT" "$TOKEN" "$RUNS" "${page_list[@]}"
elif [[ -n $PAGES ]]; then
  echo "no /usr/bin/chromium: the pages were not timed in a browser (apt-get install -y chromium)"
fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
