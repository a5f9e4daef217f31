#!/usr/bin/env bash
# The warm call (issue 15, item 2): a warm hello-world function against the bare Spring endpoint of the same
# server and against the naive CPython server, in interleaved rounds, with the server's CPU time per call.
#
#   bench/warm_call.sh [rounds]     (default 3 rounds; about 1 minute per round after a ~2 minute start)
#
# Starts the server as bench/run.sh does (throw-away data dir, port 18241, the bare endpoint GET /bench/bare on
# its classpath) and bench/naive_server.py on port 18242. After a warm-up (the JVM compiles GraalPy's interpreter
# for tens of seconds of load), each round runs wrk for 10 s per target at 1 connection, then at 16: function,
# bare endpoint, naive server, one after the other, so that the machine's state (other work on it) is shared by
# the targets a ratio compares. "CPU/call" is the measured process's user+system CPU time during the run
# (/proc/PID/stat) divided by the requests it answered: what one call costs, whatever else shares the cores.
# Prints a Markdown report and saves it to bench/results/warm-call-<UTC time>.md.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly ROUNDS=${1:-3}
readonly SERVER_PORT=18241 NAIVE_PORT=18242
readonly EMAIL=bench@example.com PASSWORD=bench-password-123
export COCO_URL="http://localhost:$SERVER_PORT"
source bench/lib.sh

for tool in wrk curl python3; do command -v "$tool" >/dev/null || die "$tool is not installed"; done
if curl -s -o /dev/null "localhost:$NAIVE_PORT"; then die "port $NAIVE_PORT is already in use"; fi

started_at=$(date -u +%FT%TZ)
naive_pid=""
# start_throwaway_server makes $work; the bare endpoint is compiled into it, so make it first and hand it on
work=$(mktemp -d /tmp/cococloud-bench-work-XXXXXX)
with_bare_endpoint
bare_classes=$work
start_throwaway_server
trap 'stop "$naive_pid"; _remove_throwaway_server; rm -rf "$bare_classes"' EXIT
bare_endpoint_answers

project=$(python3 bench/coco.py project "Warm call")
function_id=$(python3 bench/coco.py deploy "$project" hello bench/functions/hello.py)
python3 bench/coco.py call "$function_id" | grep -q '"Hello, World!"' || die "hello answered wrongly"
python3 bench/naive_server.py bench/functions/hello.py "$NAIVE_PORT" >"$work/naive.log" 2>&1 &
naive_pid=$!
for _ in $(seq 100); do curl -sf "localhost:$NAIVE_PORT/" >/dev/null && break; sleep 0.1; done

declare -A URL=([function]="$COCO_URL/functions/$function_id/execute" [bare]="$COCO_URL/bench/bare"
  [naive]="http://localhost:$NAIVE_PORT/")
declare -A PID=([function]=$server_pid [bare]=$server_pid [naive]=$naive_pid)

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
ticks_per_s=$(getconf CLK_TCK)

log "warm-up: function 6 x 5 s, bare endpoint and naive server 2 x 5 s each, at 16 connections"
for _ in 1 2 3 4 5 6; do wrk -t2 -c16 -d5s "${URL[function]}" >/dev/null; done
for _ in 1 2; do wrk -t2 -c16 -d5s "${URL[bare]}" >/dev/null; wrk -t2 -c16 -d5s "${URL[naive]}" >/dev/null; done

report=$work/report.md
md() { printf '%s\n' "$@" >>"$report"; }
md "# The warm call, $started_at" ""
md "- machine: $(nproc) cores; load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
md "- command: \`bench/warm_call.sh $ROUNDS\`; wrk 10 s per row, rounds interleave the targets" ""
md "| round | connections | target | p50 (ms) | p99 (ms) | req/s | CPU/call (ms) | errors |"
md "|---|---|---|---|---|---|---|---|"
declare -A P50 RPS CPU
for round in $(seq "$ROUNDS"); do
  for connections in 1 16; do
    threads=$(( connections == 1 ? 1 : 2 ))
    for target in function bare naive; do
      log "round $round: $target at $connections connection(s)"
      out=$work/wrk.txt
      before=$(cpu_ticks "${PID[$target]}")
      wrk -t$threads -c$connections -d10s --latency "${URL[$target]}" >"$out"
      after=$(cpu_ticks "${PID[$target]}")
      read -r p50 p99 _ rps errors < <(parse_wrk "$out")
      requests=$(awk '/requests in/ { print $1 }' "$out")
      cpu=$(awk -v t=$(( after - before )) -v hz="$ticks_per_s" -v n="$requests" 'BEGIN { printf "%.3f", t / hz * 1000 / n }')
      P50[$round/$connections/$target]=$p50 RPS[$round/$connections/$target]=$rps CPU[$round/$connections/$target]=$cpu
      md "| $round | $connections | $target | $p50 | $p99 | $rps | $cpu | $errors |"
    done
  done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
md "" "Ratios within each round:" ""
md "| round | p50 function / bare, 1 conn | CPU/call function / bare, 1 conn | req/s function / naive, 16 conn | req/s function / naive, 1 conn |"
md "|---|---|---|---|---|"
for round in $(seq "$ROUNDS"); do
  md "| $round | $(ratio "${P50[$round/1/function]}" "${P50[$round/1/bare]}") | $(ratio "${CPU[$round/1/function]}" "${CPU[$round/1/bare]}") | $(ratio "${RPS[$round/16/function]}" "${RPS[$round/16/naive]}") | $(ratio "${RPS[$round/1/function]}" "${RPS[$round/1/naive]}") |"
done

mkdir -p bench/results
result_file=bench/results/warm-call-$(date -u +%Y%m%dT%H%M%SZ).md
cp "$report" "$result_file"
cat "$report"
log "saved to $result_file"
