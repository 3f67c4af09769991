#!/usr/bin/env bash
# run-jmh.sh — builds bench/target/benchmarks.jar (maven-shade) and runs the host JMH benchmarks,
# writing bench/results/jmh-<date>.json and the table bench/results/jmh-host-ops.md.
#   bench/run-jmh.sh [extra JMH args, e.g. a benchmark regex]
# Budget on 2 cores: 12 benchmark configurations x (3 warm-up + 10 measured) x 2 s, one fork,
# ~7-9 minutes with setup. Override with JMH_OPTS="-f 1 -wi 3 -i 5 ..."; REPORT=path.md for another table.
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
cd "$ROOT"

# -am: native-bridge comes from this reactor (fresh libsparseretrain.so), not from a ~/.m2 copy
# another checkout may have installed.
mvn -B -q package -pl bench -am -DskipTests

DATE="$(date -u +%Y-%m-%dT%H%M%SZ)"
mkdir -p "$BENCH_DIR/results"
JSON="bench/results/jmh-$DATE.json"
JMH_OPTS="${JMH_OPTS:--f 1 -wi 3 -i 10 -w 2s -r 2s}"
# A private JavaCPP cache, emptied first, so the .so files of this build are the ones loaded.
CACHE="bench/target/javacpp-cache"
rm -rf "$CACHE"
CMD="java -jar bench/target/benchmarks.jar $JMH_OPTS -jvmArgs '-Xmx2g -Dorg.bytedeco.javacpp.cachedir=$CACHE' -rf json -rff $JSON $*"
echo "$CMD"
# The machine may be shared: sample the 1-minute load average every 5 s while JMH runs.
LOAD="bench/results/jmh-$DATE.load"
( while sleep 5; do cut -d' ' -f1 /proc/loadavg; done ) > "$LOAD" &
SAMPLER=$!
trap 'kill $SAMPLER 2>/dev/null || true' EXIT
# shellcheck disable=SC2086
java -jar bench/target/benchmarks.jar $JMH_OPTS -jvmArgs "-Xmx2g -Dorg.bytedeco.javacpp.cachedir=$CACHE" \
    -rf json -rff "$JSON" "$@" | tee "bench/results/jmh-$DATE.log"

kill $SAMPLER 2>/dev/null || true
REPORT="${REPORT:-bench/results/jmh-host-ops.md}"
python3 bench/jmh_report.py "$JSON" "$REPORT" "bench/run-jmh.sh $*  =>  $CMD"
echo "wrote $JSON and $REPORT"
