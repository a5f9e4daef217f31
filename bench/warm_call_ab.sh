#!/usr/bin/env bash
# The warm call, A against B, two servers at once (issue 15): a change to the code or to the JVM's flags, measured
# side by side so that the machine's other work weighs on both alike.
#
#   DIR_A=checkout DIR_B=checkout OPTS_A='flags' OPTS_B='flags' bench/warm_call_ab.sh      (about 6 minutes)
#
# Each side runs `./cococloud run` from its checkout (default: this one; each builds its own jar and AOT cache),
# with its extra JVM flags after jvm.options (JAVA_OPTS) and a GC log, on a throw-away data dir (ports 18251, 18252).
# Prints a Markdown report (progress on stderr) and saves it to bench/results/warm-call-ab-<UTC time>.md:
#   - each side's RSS 20 s after the Python runtime is ready;
#   - hello (bench/functions/hello.py) warmed up 6 x 5 s at 16 connections each, alternating;
#   - 4 rounds of wrk, 10 s per row (1 then 16 connections), the order of the sides flipped every other round,
#     with p50, requests/s and CPU per call (the JVM's user+system time during the row / the requests);
#   - each side's RSS after the load and 30 s idle, its concurrent marking cycles and longest remark pause.
set -euo pipefail
cd "$(dirname "$0")/.."
here=$PWD
source bench/lib.sh
readonly EMAIL=bench@example.com PASSWORD=bench-password-123
for tool in curl python3 wrk ss; do command -v "$tool" >/dev/null || die "$tool is not installed"; done
declare -A DIR=([A]=${DIR_A:-$here} [B]=${DIR_B:-$here}) OPTS=([A]="${OPTS_A:-}" [B]="${OPTS_B:-}")
declare -A PORT=([A]=18251 [B]=18252) PID=() HELLO=() DATA=()
work=$(mktemp -d /tmp/cococloud-bench-ab-XXXXXX)
trap 'for s in A B; do stop "${PID[$s]:-}"; done; rm -rf "$work" "${DATA[A]:-}" "${DATA[B]:-}"' EXIT
report=$work/report.md
md() { printf '%s\n' "$@" >>"$report"; }
rss_mb() { echo $(( $(ps -o rss= -p "$1") / 1024 )); }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

md "# The warm call, A/B, $(date -u +%Y-%m-%dT%H:%MZ)" ""
for s in A B; do
  md "- $s: $(git -C "${DIR[$s]}" log --oneline -1) (${DIR[$s]}), extra flags: \`${OPTS[$s]:-none}\`"
done
md "- load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)" ""

for s in A B; do
  curl -s -o /dev/null "localhost:${PORT[$s]}" && die "port ${PORT[$s]} is already in use"
  DATA[$s]=$(mktemp -d /tmp/cococloud-bench-data-XXXXXX)
  chmod 711 "${DATA[$s]}" # as root, PostgreSQL runs as nobody, which must reach the cluster inside
  log "starting $s (${DIR[$s]})"
  (cd "${DIR[$s]}" && COCO_ADMIN_EMAIL=$EMAIL COCO_ADMIN_PASSWORD=$PASSWORD COCO_DATA_DIR=${DATA[$s]} \
    PORT=${PORT[$s]} JAVA_OPTS="${OPTS[$s]} -Xlog:gc:file=$work/gc-$s.log" \
    exec ./cococloud run >"$work/server-$s.log" 2>&1) &
  for _ in $(seq 900); do curl -sf -o /dev/null "localhost:${PORT[$s]}/actuator/health" && break; sleep 1; done
  until grep -q "Python runtime ready" "$work/server-$s.log"; do sleep 1; done
  PID[$s]=$(ss -ltnp | grep ":${PORT[$s]} " | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
  sleep 20
  idle=$(rss_mb "${PID[$s]}")
  export COCO_URL="http://localhost:${PORT[$s]}"
  COCO_TOKEN=$(python3 bench/coco.py token "$EMAIL" "$PASSWORD")
  export COCO_TOKEN
  project=$(python3 bench/coco.py project "AB")
  HELLO[$s]=$(python3 bench/coco.py deploy "$project" hello bench/functions/hello.py)
  md "- $s: RSS ${idle} MB 20 s after the runtime was ready"
done
md ""
url() { echo "http://localhost:${PORT[$1]}/functions/${HELLO[$1]}/execute"; }
printf 'wrk.method = "POST"\n' >"$work/post.lua"
log "warming up"
for _ in 1 2 3 4 5 6; do for s in A B; do wrk -t2 -c16 -d5s -s "$work/post.lua" "$(url $s)" >/dev/null; done; done

md "| round | connections | side | p50 | req/s | CPU/call (ms) |" "|---|---|---|---|---|---|"
for round in 1 2 3 4; do
  order="A B"; [ $((round % 2)) -eq 0 ] && order="B A"
  for c in 1 16; do for s in $order; do
    log "round $round, $c connections, $s"
    before=$(cpu_ticks "${PID[$s]}")
    wrk -t$([ "$c" = 1 ] && echo 1 || echo 2) -c$c -d10s --latency -s "$work/post.lua" "$(url $s)" >"$work/wrk.txt"
    after=$(cpu_ticks "${PID[$s]}")
    read -r p50 _ _ rps _ < <(parse_wrk "$work/wrk.txt")
    requests=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
    md "| $round | $c | $s | $p50 ms | $rps | $(echo "scale=3; ($after - $before) * 1000 / $hz / $requests" | bc) |"
  done; done
done
sleep 30
md ""
for s in A B; do
  cycles=$(grep -c 'Concurrent Mark Cycle [0-9]' "$work/gc-$s.log" || true)
  remark=$(grep -o 'Pause Remark.* [0-9.]*ms' "$work/gc-$s.log" | grep -o '[0-9.]*ms$' | sort -n | tail -1 || true)
  md "- $s after the load and 30 s idle: RSS $(rss_mb "${PID[$s]}") MB; concurrent marking cycles since the start: $cycles; longest remark pause: ${remark:-none}"
done
md "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p bench/results
out=bench/results/warm-call-ab-$(date -u +%Y%m%dT%H%M%SZ).md
cp "$report" "$out"
cat "$report"
log "saved to $out"
