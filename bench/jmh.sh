#!/usr/bin/env bash
# The JMH micro-benchmarks of the request path (src/jmh/java/dev/tollgate/bench), short settings:
# one fork, 2 × 2 s warm-up, 3 × 2 s measurement per benchmark (~3 minutes in all).
#
#   bench/jmh.sh                          # everything
#   bench/jmh.sh TokenEstimate            # benchmarks whose name matches a regex
#   JMH_FULL=1 bench/jmh.sh               # JMH's own defaults (5 forks × 5 × 10 s…): hours, for release figures
#   bench/jmh.sh -prof gc StreamMeter     # any JMH option passes through (-prof gc: allocation per operation)
#   JMH_SETTINGS="-f 1 -wi 2 -w 2s -i 6 -r 3s" bench/jmh.sh Ledger   # other iteration settings
#
# The ledger benchmark writes to SQLite in a temp dir and to PostgreSQL at $BENCH_POSTGRES
# (default postgresql://postgres@127.0.0.1:5432/test, in a schema of its own that it drops); when
# nothing listens there, only SQLite runs. Results: printed, and bench/results/jmh-<date>.json.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
if [[ -z "${JAVA_HOME:-}" && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64; fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

# The profile builds in target/jmh and leaves the default build's target/tollgate.jar alone.
if [[ "${JMH_BUILD:-1}" == 1 || ! -f target/benchmarks.jar ]]; then
  ./mvnw -q -o -Pjmh -DskipTests package 2>/dev/null || ./mvnw -q -Pjmh -DskipTests package
fi

POSTGRES=${BENCH_POSTGRES:-postgresql://postgres@127.0.0.1:5432/test}
pg_hostport=${POSTGRES#*@}; pg_hostport=${pg_hostport%%/*}
ARGS=()
if ! (exec 3<>"/dev/tcp/${pg_hostport%%:*}/${pg_hostport##*:}") 2>/dev/null; then
  echo "no PostgreSQL at $pg_hostport: the ledger benchmark runs on SQLite only" >&2
  ARGS+=(-p database=sqlite)
fi
# shellcheck disable=SC2206
if [[ "${JMH_FULL:-0}" != 1 ]]; then ARGS+=(${JMH_SETTINGS:--f 1 -wi 2 -w 2s -i 3 -r 2s}); fi
# On a shared machine, as root: a higher priority for the benchmark JVMs (see bench/run.sh).
NICE=()
if [[ $(id -u) == 0 && "${BENCH_NICE:--10}" != 0 ]]; then
  NICE=(nice -n "${BENCH_NICE:--10}")
  if [[ -w /proc/$$/autogroup ]]; then
    AUTOGROUP_OLD=$(awk '{print $NF}' "/proc/$$/autogroup")
    if echo "${BENCH_NICE:--10}" >"/proc/$$/autogroup" 2>/dev/null; then
      trap 'echo "$AUTOGROUP_OLD" >"/proc/$$/autogroup" 2>/dev/null || true' EXIT
    fi
  fi
fi
mkdir -p bench/results
OUT=bench/results/jmh-$(date -u +%Y-%m-%d).json
"${NICE[@]}" "$JAVA" -Dbench.postgres="$POSTGRES" -jar target/benchmarks.jar "${ARGS[@]}" -jvmArgsAppend "-Dbench.postgres=$POSTGRES" \
  -rf json -rff "$OUT" "$@"
echo "written: $OUT" >&2
