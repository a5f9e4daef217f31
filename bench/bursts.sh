#!/usr/bin/env bash
# Hello at 16 connections in bursts after idle gaps, with the collector's work per burst (issue 15, item 2).
#
#   bench/bursts.sh [bursts] [-- extra JVM flags]    (default 4 bursts; about 1.5 minutes + 35 s per burst)
#
# bench/vs-parse.sh measures each target for 10 s while the others run, so CocoCloud's server idles between its
# rounds; this is that pattern on one server, with the JVM's collector in view. On a throw-away data dir and port
# 18252, through ./cococloud run (the extra flags after "--" come after jvm.options, as JAVA_OPTS does): deploys
# hello, warms up (6 x 5 s of wrk at 16 connections), then per burst: 25 s idle (G1's periodic collection gives
# memory back after 10 s), then 10 s of wrk at 16 connections. Per burst: req/s, p50/p99, the server's CPU per
# call, how many concurrent marking cycles G1 ended during it (Pause Remark in its log), RSS before and after.
# Prints a Markdown report and saves it to bench/results/bursts-<UTC time>.md.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly SERVER_PORT=18252
readonly EMAIL=bench@example.com PASSWORD=bench-password-123
export COCO_URL="http://localhost:$SERVER_PORT"
bursts=${1:-4}
shift $(( $# < 1 ? $# : 1 ))
[ "${1:-}" != "--" ] || shift
flags="$*"
source bench/lib.sh

for tool in curl python3 wrk; do command -v "$tool" >/dev/null || die "$tool is not installed"; done
gc_log=$(mktemp /tmp/cococloud-bench-gc-XXXXXX.log)
export JAVA_OPTS="$flags -Xlog:gc:file=$gc_log:uptime"
started_at=$(date -u +%FT%TZ)
start_throwaway_server
trap '_remove_throwaway_server; rm -f "$gc_log"' EXIT
project=$(python3 bench/coco.py project "Bursts")
function_id=$(python3 bench/coco.py deploy "$project" hello bench/functions/hello.py)
url="$COCO_URL/functions/$function_id/execute"

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }
rss_mb() { echo $(( $(awk '/VmRSS/ { print $2 }' "/proc/$server_pid/status") / 1024 )); }
remarks() { grep -c "Pause Remark" "$gc_log" || true; }
ticks_per_s=$(getconf CLK_TCK)

report=$work/report.md
md() { printf '%s\n' "$@" >>"$report"; }
md "# Hello in bursts, $started_at" ""
md "- machine: $(nproc) cores; load average at start $(cut -d' ' -f1-3 /proc/loadavg); commit $(git rev-parse --short HEAD)"
md "- command: \`bench/bursts.sh $bursts${flags:+ -- $flags}\`" ""
log "warm-up: 6 x 5 s at 16 connections"
for _ in 1 2 3 4 5 6; do wrk -t2 -c16 -d5s "$url" >/dev/null; done
md "| burst | req/s | p50 (ms) | p99 (ms) | CPU/call (ms) | marking cycles | RSS before (MB) | RSS after (MB) | load |"
md "|---|---|---|---|---|---|---|---|---|"
for burst in $(seq "$bursts"); do
  log "burst $burst: 25 s idle, then 10 s at 16 connections"
  sleep 25
  rss_before=$(rss_mb) remarks_before=$(remarks) ticks_before=$(cpu_ticks)
  wrk -t2 -c16 -d10s --latency "$url" >"$work/wrk.txt"
  ticks_after=$(cpu_ticks) remarks_after=$(remarks)
  read -r p50 p99 _ rps errors < <(parse_wrk "$work/wrk.txt")
  [ "$errors" -eq 0 ] || die "burst $burst: $errors errors"
  requests=$(awk '/requests in/ { print $1 }' "$work/wrk.txt")
  cpu=$(awk -v t=$(( ticks_after - ticks_before )) -v hz="$ticks_per_s" -v n="$requests" \
    'BEGIN { printf "%.3f", t / hz * 1000 / n }')
  md "| $burst | $rps | $p50 | $p99 | $cpu | $(( remarks_after - remarks_before )) | $rss_before | $(rss_mb) | $(cut -d' ' -f1 /proc/loadavg) |"
done

mkdir -p bench/results
result_file=bench/results/bursts-$(date -u +%Y%m%dT%H%M%SZ).md
cp "$report" "$result_file"
cat "$report"
log "saved to $result_file"
