#!/usr/bin/env bash
# The organiser's and judges' consoles, for scripts/bench (--console runs just this):
#  1. seeds P participants (default 250,000) with a final attempt in each of the 4
#     closed rounds of bench-console (1,000,000 attempts) with `cchc-quiz
#     bench-console-seed` (benchmarks only, one transaction), and times on that
#     database: the top-100 boards (target < 10 ms), the unit table (< 100 ms),
#     a round's question statistics (< 2 s), the full XLSX export (< 30 s);
#  2. submit throughput (wrk, 256 connections) without and with V viewers
#     (default 500) holding the live board's event stream open, R times each
#     (default 3), interleaved in the same run (target: submits at most 10 %
#     slower with the viewers), and how many board events the viewers got.
#   scripts/bench.d/console.sh BIN [P] [V] [R]
# CONSOLE_PARTS="reads submits" (the default) chooses the parts to run.
set -euo pipefail
BIN=$1
PARTICIPANTS=${2:-250000}
VIEWERS=${3:-500}
REPS=${4:-5}
PARTS=${CONSOLE_PARTS:-reads submits}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
export BENCH_DIR=$HERE
THREADS=2
export BENCH_THREADS=$THREADS
SUBMIT_SECS=1
PER_RUN=30000   # first submits per run: enough for 30,000/s
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

WORK=$(mktemp -d /tmp/cchc-bench-console.XXXXXX)
DB="$WORK/bench.db"
PORT=$(( 20000 + RANDOM % 20000 ))
URL="http://127.0.0.1:$PORT"
SERVER=""
VIEWER=""
trap '[ -n "$VIEWER" ] && kill $VIEWER 2>/dev/null; [ -n "$SERVER" ] && kill $SERVER 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT

"$BIN" bank import --db "$DB" "$ROOT"/question-banks/*.json >/dev/null
"$BIN" contest load --db "$DB" "$HERE/contest.json" >/dev/null
"$BIN" contest load --db "$DB" "$HERE/console-contest.json" >/dev/null
CCHC_PASSWORD=bench-password-123 "$BIN" user add --db "$DB" --role judge bench-judge >/dev/null
if [[ $PARTS == *reads* ]]; then
  echo "==> consoles: seeding $PARTICIPANTS participants with an attempt in each of 4 rounds"
  "$BIN" bench-console-seed --db "$DB" --contest bench-console --participants "$PARTICIPANTS" 2>/dev/null
  ATTEMPTS=$(sqlite3 "$DB" 'SELECT count(*) FROM attempts')
  echo "    $ATTEMPTS attempts, database $(du -m "$DB" | cut -f1) MiB"
fi

if [[ $PARTS == *submits* ]]; then
  # before the server starts: a seeder writing beside it holds the write lock
  # and the server's writer waits ("database is locked" in its log)
  OPEN_N=$((PER_RUN * REPS * 2))
  echo "==> seeding $OPEN_N open attempts for the submit runs (cchc-quiz bench-people)"
  "$BIN" bench-people --db "$DB" --contest bench --round r1 --n "$OPEN_N" --first 50000000 \
    --out "$WORK/open.txt"
  split -l "$PER_RUN" -d -a 3 "$WORK/open.txt" "$WORK/open."
fi

"$BIN" serve --port "$PORT" --db "$DB" --web "$ROOT/web" --no-rate-limit --access-log off \
  --log-level warn --threads $THREADS --conn-limit 30000 --timeout 120 &
SERVER=$!
for _ in $(seq 100); do curl -sf "$URL/healthz" >/dev/null && break; sleep 0.1; done
CROUND=$(curl -sf "$URL/api/contests/bench-console" | grep -o '"id":[0-9][0-9]*' | head -1 | cut -d: -f2)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }
HZ=$(getconf CLK_TCK)
if [[ $PARTS == *reads* ]]; then
  echo "==> reads on $ATTEMPTS attempts, 2 server threads (median and p95 of n runs, ms)"
  c0=$(cpu_ticks)
  node "$HERE/console.mjs" "$URL" bench-console "$CROUND" bench-judge bench-password-123 > "$WORK/reads"
  c1=$(cpu_ticks)
  awk '{ printf "   %-28s median %9s   p95 %9s   n=%-3s %s\n", $2, $3, $4, $5, $6 }' "$WORK/reads"
  echo "   (server CPU for all of the above: $(( (c1 - c0) / HZ )) s)"
fi
[[ $PARTS == *submits* ]] || exit 0

ROUND=$(curl -sf "$URL/api/contests/bench" | grep -o '"id":[0-9][0-9]*' | head -1 | cut -d: -f2)
export BENCH_ROUND=$ROUND BENCH_CONTEST=bench
slice=0
: > "$WORK/submits"
submit_run() { # LABEL: one wrk run of first submits on the next unused slice
  local out line c0 c1 cpu
  c0=$(cpu_ticks)
  out=$(BENCH_PAIRS="$(printf '%s/open.%03d' "$WORK" "$slice")" BENCH_NAME=submit \
    wrk -t$THREADS -c256 -d"${SUBMIT_SECS}s" --timeout 10s -s "$HERE/submit.lua" "$URL/" 2>&1)
  c1=$(cpu_ticks)
  slice=$((slice + 1))
  line=$(echo "$out" | grep '^RESULT' | sed 's/^RESULT [a-z]* //')
  # the server's CPU per 1000 submits: what the viewers cost it, whatever the load around
  cpu=$(echo "$line" | awk -v a="$c0" -v b="$c1" -v hz="$HZ" '{ printf "%.0f", (b - a) / hz * 1e6 / $6 }')
  echo "$1 $line $cpu" >> "$WORK/submits"
  printf '   %-12s %s\n' "$1" "$(echo "$line $cpu" | awk '{ printf "%6.0f submits/s  p50 %s ms  p99 %s ms  errors %s  server CPU %s ms per 1000 submits", $1, $2, $3, $5, $7 }')"
}
echo "==> submits, 256 connections, ${SUBMIT_SECS} s runs: without and with $VIEWERS viewers of the live board"
for rep in $(seq 1 "$REPS"); do
  submit_run none
  HOLD_MS=3600000 node "$HERE/viewers.mjs" "$PORT" "/api/rounds/$ROUND/leaderboard/stream" "$VIEWERS" > "$WORK/viewers.out" &
  VIEWER=$!
  for _ in $(seq 240); do grep -q held "$WORK/viewers.out" 2>/dev/null && break; sleep 0.25; done
  sleep 1
  kill -USR1 $VIEWER
  submit_run viewers
  sleep 1.5 # the last fan-out
  kill -TERM $VIEWER
  wait $VIEWER 2>/dev/null || true
  VIEWER=""
  echo "      viewers: $(head -1 "$WORK/viewers.out"); $(tail -1 "$WORK/viewers.out")"
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
none=$(awk '$1 == "none" {print $2}' "$WORK/submits" | median)
with=$(awk '$1 == "viewers" {print $2}' "$WORK/submits" | median)
cnone=$(awk '$1 == "none" {print $8}' "$WORK/submits" | median)
cwith=$(awk '$1 == "viewers" {print $8}' "$WORK/submits" | median)
awk -v a="$none" -v b="$with" -v v="$VIEWERS" -v ca="$cnone" -v cb="$cwith" 'BEGIN {
  printf "   median submits/s: %.0f without viewers, %.0f with %d viewers (%+.1f %%)\n", a, b, v, (b - a) / a * 100
  printf "   median server CPU per 1000 submits: %d ms without, %d ms with the viewers (%+.1f %%)\n", ca, cb, (cb - ca) / ca * 100 }'
