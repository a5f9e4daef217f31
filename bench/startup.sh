#!/usr/bin/env bash
# Restart -> first function response, and the server's RSS (issue 15, item 4).
#
#   bench/startup.sh [restarts] [idle-seconds]      (defaults 3 and 20; about 3 minutes)
#
# On a throw-away data dir and port 18082, through ./cococloud run exactly as a user starts it:
#   1. first start (creates the PostgreSQL cluster), deploys a hello function, calls it once, stops;
#   2. `restarts` times: starts the server again on that data dir and times, from the launcher's start,
#      the first healthy answer and the first 200 of POST /functions/{id}/execute (each polled every 20 ms by
#      bench/first_ok.py),
#      with the CPU time the JVM used until that 200 (a figure other work on the machine changes far less than
#      the wall time) and the server's own "Started ... in" and "Python runtime ready" log lines;
#   3. on the last restart: RSS after `idle-seconds` idle; after 100 functions in 10 projects were deployed and
#      each called once; after 20 s of wrk load on the hello function (16 connections). RSS is the JVM's only
#      (PostgreSQL runs as a separate process tree). With COCO_NMT=1 the JVM also runs with native memory
#      tracking and its summary is printed at each RSS point.
# Prints a Markdown report (progress on stderr) and saves it to bench/results/startup-<UTC time>.md. The machine
# may be loaded by other work: run it more than once and compare the best.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly SERVER_PORT=18082
readonly EMAIL=bench@example.com PASSWORD=bench-password-123
export COCO_URL="http://localhost:$SERVER_PORT"
restarts=${1:-3}
idle=${2:-20}
source bench/lib.sh

for tool in curl python3; do command -v "$tool" >/dev/null || die "$tool is not installed"; done
if curl -s -o /dev/null "localhost:$SERVER_PORT"; then die "port $SERVER_PORT is already in use"; fi
work=$(mktemp -d /tmp/cococloud-bench-work-XXXXXX)
data=$(mktemp -d /tmp/cococloud-bench-data-XXXXXX)
chmod 711 "$data"  # as root, PostgreSQL runs as nobody, which must reach the cluster inside
server_pid=""
report=$work/report.md
trap 'rc=$?; [ "$rc" -eq 0 ] || tail -n 40 "$work/server.log" >&2; stop "$server_pid"; rm -rf "$work" "$data"' EXIT
md() { printf '%s\n' "$@" >>"$report"; }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
rss_mb() { echo $(( $(ps -o rss= -p "$server_pid") / 1024 )); }
nmt() {
  [ -n "${COCO_NMT:-}" ] || return 0
  md '```' "$(jcmd "$server_pid" VM.native_memory summary | grep -E '^(Total|-  *[A-Z])' | head -n 30)" '```'
}

./cococloud build >&2
[ -z "${COCO_NMT:-}" ] || export JAVA_OPTS="${JAVA_OPTS:-} -XX:NativeMemoryTracking=summary"

# --- 1. first start, a deployed hello function --------------------------------------------------
log "first start"
t0=$(date +%s%N)
start_server
first_start=$(ms_since "$t0")
java_bin=$(readlink -f "/proc/$server_pid/exe")
COCO_TOKEN=$(python3 bench/coco.py token "$EMAIL" "$PASSWORD")
export COCO_TOKEN
project=$(python3 bench/coco.py project "Startup")
printf 'def main():\n    return {"message": "Hello, World!"}\n' >"$work/hello.py"
hello=$(python3 bench/coco.py deploy "$project" hello "$work/hello.py")
python3 bench/coco.py call "$hello" >/dev/null
stop "$server_pid"

md "# Start-up and memory, $(date -u +%FT%TZ)" ""
md "- machine: $(nproc) cores, load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
md "- java: $java_bin ($("$java_bin" -version 2>&1 | head -n1))"
md "- command: \`${JAVA_OPTS:+JAVA_OPTS='$JAVA_OPTS' }bench/startup.sh $restarts $idle\`"
md "- first start (new cluster; after a build it includes the AOT cache's training) to Python ready: $first_start ms" ""
md "| restart | healthy (ms) | first function 200 (ms) | JVM CPU until then (s) | Spring's \"Started in\" | Python ready (log) |" \
   "|---|---|---|---|---|---|"

# --- 2. restarts --------------------------------------------------------------------------------
for i in $(seq "$restarts"); do
  log "restart $i of $restarts"
  : >"$work/server.log"
  t0=$(date +%s%N)
  COCO_DATA_DIR=$data PORT=$SERVER_PORT ./cococloud run >"$work/server.log" 2>&1 &
  launcher=$!
  # one polling process each (bench/first_ok.py), not curl in a loop: each curl costs ~20 ms of CPU here
  healthy=$(python3 bench/first_ok.py "$COCO_URL/actuator/health" --every 0.02 --pid "$launcher") \
    || die "the server was not healthy during restart $i"
  first=$(python3 bench/first_ok.py "$COCO_URL/functions/$hello/execute" --post '' --every 0.02 --pid "$launcher") \
    || die "no 200 from the function during restart $i"
  server_pid=$(pgrep -P "$launcher" -x java | head -n1)
  # CPU the JVM used until then (user + system): what the machine's other work does not change much
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$server_pid/stat")
  healthy=$(( healthy - t0 / 1000000 )) first=$(( first - t0 / 1000000 ))
  for _ in $(seq 300); do grep -q "Python runtime ready" "$work/server.log" && break; sleep 0.1; done
  started=$(grep -o 'Started CocoCloudApplication in [0-9.]* seconds' "$work/server.log" | grep -o '[0-9.]* s' || true)
  ready=$(grep -o 'Python runtime ready.*' "$work/server.log" | grep -o 'warm-up [0-9]* ms' || true)
  md "| $i | $healthy | **$first** | $cpu | ${started:-?} | ${ready:-?} |"
  [ "$i" -eq "$restarts" ] || stop "$server_pid"
done
md ""

# --- 3. memory on the last restart ---------------------------------------------------------------
log "idle ${idle} s"
sleep "$idle"
md "| state (JVM's RSS, after ${idle} s idle) | RSS (MB) |" "|---|---|"
md "| restarted, hello called once | $(rss_mb) |"
nmt
log "deploying 100 functions in 10 projects, calling each once"
python3 bench/coco.py deploy-many 10 10 >"$work/ids.txt"
python3 bench/coco.py call-each "$work/ids.txt"
sleep "$idle"
md "| 100 functions in 10 projects, each called once | $(rss_mb) |"
nmt
if command -v wrk >/dev/null; then
  log "20 s of wrk load on the hello function"
  wrk -t2 -c16 -d20s "$COCO_URL/functions/$hello/execute" >"$work/wrk.txt"
  sleep "$idle"
  md "| then 20 s of load on hello, 16 connections ($(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$work/wrk.txt") req/s) | $(rss_mb) |"
  nmt
fi

mkdir -p bench/results
out=bench/results/startup-$(date -u +%Y%m%dT%H%M%SZ).md
cp "$report" "$out"
cat "$report"
log "saved $out"
