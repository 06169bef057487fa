#!/usr/bin/env bash
# Report speed at ten million ledger rows (issue 7): generates a synthetic ledger on SQLite and on
# PostgreSQL with `tollgate bench-ledger` (rollups kept as it writes), then times the month x team x
# model report, the month x team x agent chargeback query and a team's daily series, each from the
# rollups and from the raw ledger (median of several runs). Writes bench/results/reports-<date>.md.
#
#   bench/reports.sh                      # 10,000,000 rows on both databases
#   ROWS=1000000 bench/reports.sh         # a quicker look
#   DATABASES=sqlite bench/reports.sh     # one database only
#
# PostgreSQL: 127.0.0.1:5432, database test, user postgres, in its own schema (bench_reports, dropped
# and made anew, kept afterwards). SQLite: a file under bench/results/data/ (removed afterwards unless
# KEEP=1). With KEEP=1, bench/console-calls.sh then times the console's API calls on the same data.
# Rows are written 20,000 a transaction (bench-ledger --batch) on one connection, rollups kept by the
# ledger writer's own transaction code.
# Needs Java 21+ (JAVA_HOME, else java on the PATH) and target/tollgate.jar (built if missing);
# TOLLGATE_CP may name another class path instead.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${ROWS:-10000000}
DATABASES=${DATABASES:-"sqlite postgresql"}
RUNS=${RUNS:-7}
LEDGER_RUNS=${LEDGER_RUNS:-3}
PG_URL=${PG_URL:-"postgresql://postgres@127.0.0.1:5432/test?schema=bench_reports"}
DATE=$(date -u +%F)
OUT=${OUT:-bench/results/reports-$DATE.md}
DATA=${DATA:-bench/results/data}
mkdir -p "$DATA"

if [[ -z "${TOLLGATE_CP:-}" ]]; then
  [[ -f target/tollgate.jar ]] || ./mvnw -q -DskipTests package
  TOLLGATE_CP=target/tollgate.jar
fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
tollgate() { "$JAVA" -Xmx2g -cp "$TOLLGATE_CP" dev.tollgate.cli.Main "$@"; }

{
  echo "# Reports at $ROWS ledger rows — $DATE"
  echo
  echo "Machine: $(nproc) CPUs, $(free -g | awk '/Mem:/ {print $2}') GiB; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Command: \`ROWS=$ROWS bench/reports.sh\`"
  echo
} > "$OUT"

for db in $DATABASES; do
  case $db in
    sqlite)
      rm -f "$DATA"/bench.db*
      url="sqlite:$DATA/bench.db" ;;
    postgresql)
      psql -h 127.0.0.1 -U postgres -d test -qc "DROP SCHEMA IF EXISTS bench_reports CASCADE" >/dev/null
      url=$PG_URL ;;
    *) echo "unknown database $db" >&2; exit 2 ;;
  esac
  echo "== $db: generating $ROWS rows" >&2
  gen=$DATA/$db-generate.log
  log=$DATA/$db.log
  tollgate bench-ledger --storage "$url" --rows "$ROWS" --runs 1 --ledger-runs 0 2>&1 \
    | grep --line-buffered -v '^\[main\]' | tee "$gen" >&2
  # Fresh planner statistics, as autovacuum would gather them after a load this size: without them
  # PostgreSQL guesses a few thousand rollup rows and lets its hash aggregate spill to disk.
  if [[ $db == postgresql ]]; then
    psql -h 127.0.0.1 -U postgres -d test -qc "SET search_path TO bench_reports; ANALYZE" >/dev/null
  fi
  echo "== $db: timing the reports" >&2
  tollgate bench-ledger --storage "$url" --runs "$RUNS" --ledger-runs "$LEDGER_RUNS" 2>&1 \
    | grep --line-buffered -v '^\[main\]' | tee "$log" >&2
  {
    echo "## $db"
    echo
    echo '```'
    grep -E '^generate' "$gen"
    grep -E '^(rows|bytes|month_|daily_)' "$log"
    echo '```'
    echo
  } >> "$OUT"
  if [[ $db == sqlite && "${KEEP:-0}" != 1 ]]; then rm -f "$DATA"/bench.db*; fi
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT"
echo "written: $OUT" >&2
