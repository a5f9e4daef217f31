#!/usr/bin/env bash
# The server's memory under JVM levers, with the latency they cost (issue 15, item 4).
#
#   bench/memory.sh [repeats] [idle-seconds] [-- extra JVM flags]    (defaults 3 and 20; ~2 min per repeat)
#
# The lever is given as extra JVM flags after "--" (they come after jvm.options, so they override it, exactly as
# JAVA_OPTS does for ./cococloud run); none measures jvm.options as it is. On a throw-away data dir and port 18083,
# through ./cococloud run (AOT cache included, as a user starts it):
#   1. a first start deploys hello and 100 functions in 10 projects (coco.py deploy-many 10 10), then stops;
#   2. each repeat restarts the server and measures the JVM's RSS (PostgreSQL not included):
#      - idle: hello called once, then idle-seconds idle;
#      - 100 functions: each of the 100 called once, then idle-seconds idle;
#      - hello p50 / p99 at 1 connection (wrk, 5 s warm-up then 10 s measured): what a lever costs in speed;
#      - after load: 20 s of wrk on hello at 16 connections (startup.sh's load), then idle-seconds idle;
#      - peak: the JVM's high-water RSS (VmHWM) over the whole repeat.
# With COCO_NMT=1 the JVM runs with native memory tracking and the last repeat's summaries (idle, after load)
# are added. Prints a Markdown report (progress on stderr) and saves it to bench/results/memory-<UTC time>.md.
# Each line carries the load average when it was taken: other work on the 2 cores changes the figures.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly SERVER_PORT=18083
readonly EMAIL=bench@example.com PASSWORD=bench-password-123
export COCO_URL="http://localhost:$SERVER_PORT"
repeats=${1:-3}
idle=${2:-20}
shift $(( $# < 2 ? $# : 2 ))
[ "${1:-}" != "--" ] || shift
flags="$*"
source bench/lib.sh

for tool in curl python3 wrk; do command -v "$tool" >/dev/null || die "$tool is not installed"; done
if curl -s -o /dev/null "localhost:$SERVER_PORT"; then die "port $SERVER_PORT is already in use"; fi
work=$(mktemp -d /tmp/cococloud-bench-work-XXXXXX)
data=$(mktemp -d /tmp/cococloud-bench-data-XXXXXX)
chmod 711 "$data"  # as root, PostgreSQL runs as nobody, which must reach the cluster inside
server_pid=""
report=$work/report.md
trap 'rc=$?; [ "$rc" -eq 0 ] || tail -n 40 "$work/server.log" >&2; stop "$server_pid"; rm -rf "$work" "$data"' EXIT
md() { printf '%s\n' "$@" >>"$report"; }
rss_mb() { echo $(( $(ps -o rss= -p "$server_pid") / 1024 )); }
hwm_mb() { echo $(( $(awk '/^VmHWM:/ { print $2 }' "/proc/$server_pid/status") / 1024 )); }
load() { cut -d' ' -f1 /proc/loadavg; }
nmt() { # $1 = what the summary is of
  [ -n "${COCO_NMT:-}" ] || return 0
  nmt_text+="$1:"$'\n''```'$'\n'"$(jcmd "$server_pid" VM.native_memory summary \
    | grep -E '^(Total|-  *[A-Z])' | head -n 30)"$'\n''```'$'\n'
}

# ./cococloud run builds the jar first when a source (or jvm.options) changed
export JAVA_OPTS="${JAVA_OPTS:-} $flags${COCO_NMT:+ -XX:NativeMemoryTracking=summary}"

log "first start: hello and 100 functions in 10 projects"
start_server
COCO_TOKEN=$(python3 bench/coco.py token "$EMAIL" "$PASSWORD")
export COCO_TOKEN
project=$(python3 bench/coco.py project "Memory")
printf 'def main():\n    return {"message": "Hello, World!"}\n' >"$work/hello.py"
hello=$(python3 bench/coco.py deploy "$project" hello "$work/hello.py")
python3 bench/coco.py deploy-many 10 10 >"$work/ids.txt"
stop "$server_pid"

md "# Memory, $(date -u +%FT%TZ)" ""
md "- machine: $(nproc) cores; commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- jvm.options app/src/main/resources/application.yaml cococloud || echo ' (with uncommitted changes)')"
md "- command: \`bench/memory.sh $repeats $idle${flags:+ -- $flags}\`${COCO_NMT:+ (COCO_NMT=1)}"
md "- RSS of the JVM in MB after ${idle} s idle (PostgreSQL not included); peak = VmHWM; load = 1-min load average" ""
md "| repeat | idle (load) | 100 functions (load) | hello p50 / p99 ms, 1 conn. (load) | after load (load, req/s at 16) | peak |" \
   "|---|---|---|---|---|---|"

nmt_text=""
for i in $(seq "$repeats"); do
  log "repeat $i of $repeats"
  start_server
  python3 bench/coco.py call "$hello" >/dev/null
  sleep "$idle"
  [ "$i" -ne "$repeats" ] || nmt "idle"
  idle_rss="$(rss_mb) ($(load))"
  python3 bench/coco.py call-each "$work/ids.txt"
  sleep "$idle"
  many_rss="$(rss_mb) ($(load))"
  wrk -t1 -c1 -d5s "$COCO_URL/functions/$hello/execute" >/dev/null
  wrk -t1 -c1 -d10s --latency "$COCO_URL/functions/$hello/execute" >"$work/wrk1.txt"
  read -r p50 p99 _ _ errors < <(parse_wrk "$work/wrk1.txt")
  latency="$p50 / $p99 ($(load))"
  [ "$errors" -eq 0 ] || latency+=", $errors errors"
  wrk -t2 -c16 -d20s --latency "$COCO_URL/functions/$hello/execute" >"$work/wrk16.txt"
  # errors (non-2xx answers, wrk's 2 s timeouts) are counted, not fatal: a loaded machine times a few out
  read -r _ _ _ rps errors < <(parse_wrk "$work/wrk16.txt")
  [ "$errors" -eq 0 ] || rps="$rps, $errors errors"
  sleep "$idle"
  [ "$i" -ne "$repeats" ] || nmt "after load"
  md "| $i | $idle_rss | $many_rss | $latency | $(rss_mb) ($(load), $rps) | $(hwm_mb) |"
  stop "$server_pid"
done
[ -z "$nmt_text" ] || md "" "Native memory tracking, repeat $repeats:" "" "$nmt_text"

mkdir -p bench/results
out=bench/results/memory-$(date -u +%Y%m%dT%H%M%SZ).md
cp "$report" "$out"
cat "$report"
log "saved $out"
