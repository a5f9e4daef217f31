#!/usr/bin/env bash
# CocoCloud's benchmarks: one command for every figure of bench/README.md.
#
#   bench/run.sh          (about 4 minutes on 2 cores; needs wrk, curl, python3)
#
# Starts the server as ./cococloud run does (building the jar first if a source changed) on a
# throw-away data dir and port 18081, with the bare baseline endpoint GET /bench/bare (bench/bare/,
# compiled against the jar and put on the server's classpath: it is not part of the app), plus
# bench/naive_server.py (CPython) on port 18090, and measures:
#   (e) memory: RSS idle, with 100 functions deployed, with each of them called once
#   (a) a warm hello-world function vs the bare Spring endpoint, (b) vs the naive CPython server
#   (c) cold starts: deploy -> first response, and the first call in a new project
#   (d) CPU-bound and JSON-heavy functions, GraalPy vs python3
# Memory runs first, so that its figures hold only the 100 functions and no load-test garbage.
# Prints a Markdown report on stdout (progress goes to stderr) and saves it to
# bench/results/<UTC time>.md.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly SERVER_PORT=18081 NAIVE_PORT=18090
readonly EMAIL=bench@example.com PASSWORD=bench-password-123
export COCO_URL="http://localhost:$SERVER_PORT"

source bench/lib.sh

for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
for port in $SERVER_PORT $NAIVE_PORT; do
  if curl -s -o /dev/null "localhost:$port"; then die "port $port is already in use"; fi
done

started_at=$(date -u +%FT%TZ)
work=$(mktemp -d /tmp/cococloud-bench-work-XXXXXX)        # logs, ids, the report being written
data=$(mktemp -d /tmp/cococloud-bench-data-XXXXXX)        # the server's throw-away data dir
chmod 711 "$data"  # as root, PostgreSQL runs as nobody, which must reach the cluster inside
report=$work/report.md
export BENCH_SUMMARY=$work/summary.env                     # key=value lines written by coco.py
: >"$BENCH_SUMMARY"
server_pid="" naive_pid=""

cleanup() {
  local rc=$?
  if [ "$rc" -ne 0 ] && [ -f "$work/server.log" ]; then
    log "failed (exit $rc); last lines of the server log:"
    tail -n 40 "$work/server.log" >&2
  fi
  stop "$naive_pid"
  stop "$server_pid"
  rm -rf "$work" "$data"
}
trap cleanup EXIT

md() { printf '%s\n' "$@" >>"$report"; }

table_head() {
  md "| target | connections | p50 (ms) | p99 (ms) | max (ms) | req/s | errors |" "|---|---|---|---|---|---|---|"
}
declare -A P50 RPS WARMUP
# Warms a target up, then measures it at 1 and 16 connections for 10 s each; appends a table
# row per run. $1 = label, $2 = URL, $3 = key for P50/RPS/WARMUP.
# Warm-up: 5 s wrk runs at 16 connections until one gains < 10% req/s over the one before (2 to 8
# runs). One run is not enough for the function: the JVM keeps compiling GraalPy's interpreter
# for ~30 s of load, and the function's p50 at 1 connection halves meanwhile.
measure() {
  local label=$1 url=$2 key=$3 threads connections out p50 p99 max rps errors
  local runs=0 previous=0 current
  log "wrk: $label (warm-up: 5 s runs until steady)"
  while :; do
    current=$(wrk -t2 -c16 -d5s "$url" | awk '/^Requests\/sec:/ { printf "%.0f", $2 }')
    [ -n "$current" ] || die "wrk got no answers from $url"
    runs=$(( runs + 1 ))
    if [ "$runs" -ge 8 ] || { [ "$runs" -ge 2 ] && [ "$current" -lt $(( previous * 11 / 10 )) ]; }; then
      break
    fi
    previous=$current
  done
  WARMUP[$key]="$runs × 5 s"
  log "wrk: $label (warmed up with $runs runs, last at $current req/s; measuring 2 x 10 s)"
  for connections in 1 16; do
    threads=$(( connections == 1 ? 1 : 2 ))
    out=$work/wrk-$key-c$connections.txt
    wrk -t$threads -c$connections -d10s --latency "$url" >"$out"
    read -r p50 p99 max rps errors < <(parse_wrk "$out")
    P50[$key/$connections]=$p50 RPS[$key/$connections]=$rps
    md "| $label | $connections | $p50 | $p99 | $max | $rps | $errors |"
  done
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
# "met" when $1 <= $2 (mode le) or $1 >= $2 (mode ge), else "not met"
verdict() { awk -v m="$1" -v a="$2" -v b="$3" \
  'BEGIN { ok = (m == "le") ? a <= b : a >= b; print ok ? "met" : "not met" }'; }
rss_mb() { echo $(( $(ps -o rss= -p "$server_pid") / 1024 )); }
# Live Python contexts of projects: the sum of cococloud_runtime_contexts (per project; its series follow the
# pools within coco.metrics.pools-interval, 5 s; none before any project has one), or $1 when the scrape fails.
contexts() {
  local value
  value=$(curl -sf -H "authorization: Bearer $COCO_TOKEN" "$COCO_URL/actuator/prometheus" \
    | awk '{ answered = 1 } $1 ~ /^cococloud_runtime_contexts([{ ]|$)/ { sum += $2 } END { if (answered) print sum + 0 }' \
    || true)
  echo "${value:-$1}"
}

# --- the server ---------------------------------------------------------------------------
with_bare_endpoint
start_server
java_bin=$(readlink -f "/proc/$server_pid/exe")
log "server up (pid $server_pid, $java_bin)"
bare_endpoint_answers
log "GET /bench/bare answers"

md "# CocoCloud benchmarks, $started_at" ""
md "- machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
md "- java: $("$java_bin" -version 2>&1 | head -n1)"
md "- GraalPy: $(grep -o 'Python runtime ready.*' "$work/server.log" | head -n1)"
md "- python3 (baseline): $(python3 -c 'import sys; print(sys.version.split()[0])'); wrk: $(wrk -v 2>&1 | head -n1 | cut -d' ' -f1-2)"
md "- command: \`${COCO_GRAALPY:+COCO_GRAALPY=$COCO_GRAALPY }bench/run.sh\`; latencies from \`wrk --latency\` after a warm-up per target" ""

# --- (e) memory ---------------------------------------------------------------------------
COCO_TOKEN=$(python3 bench/coco.py token "$EMAIL" "$PASSWORD")
export COCO_TOKEN
log "(e) memory: idle 20 s"
sleep 20
rss_idle=$(rss_mb)
contexts_idle=$(contexts "0 (inferred)")
log "(e) memory: deploying 100 functions (10 projects x 10), then idle 20 s"
python3 bench/coco.py deploy-many 10 10 >"$work/memory-ids.txt"
[ "$(wc -l <"$work/memory-ids.txt")" -eq 100 ] || die "expected 100 deployed functions"
sleep 20
rss_deployed=$(rss_mb)
contexts_deployed=$(contexts "~10 (inferred)")
log "(e) memory: calling each function once, then idle 20 s"
python3 bench/coco.py call-each "$work/memory-ids.txt"
sleep 20
rss_called=$(rss_mb)
contexts_called=$(contexts "~10 (inferred)")

md "## (e) Memory: RSS of the Java process" ""
md "PostgreSQL runs as separate processes and is not included. Each state is measured after 20 s idle."
md "Live Python contexts of projects: the sum of the server's \`cococloud_runtime_contexts\` (\"inferred\" when it"
md "did not answer: from the pool's design, a deploy pre-warms one context of its project and sequential calls"
md "reuse it). The runtime's deploy-check context is one more, in every state." ""
md "| state | RSS (MB) | live Python contexts |" "|---|---|---|"
md "| started, idle | $rss_idle | $contexts_idle |"
md "| 100 functions deployed (10 projects × 10) | $rss_deployed | $contexts_deployed |"
md "| each of the 100 called once | $rss_called | $contexts_called |" ""

# --- (a) warm hello world vs the bare endpoint, (b) vs the naive CPython server ------------
hello_project=$(python3 bench/coco.py project "Bench hello")
hello_id=$(python3 bench/coco.py deploy "$hello_project" hello bench/functions/hello.py)
python3 bench/coco.py call "$hello_id" | grep -q '"Hello, World!"' || die "hello function answered wrongly"

md "## (a) Warm hello world: function vs bare Spring endpoint (same server)" ""
md "wrk corrects its percentiles for coordinated omission: a stall of S seconds in a run averaging R"
md "req/s per connection adds about S×R synthetic samples (the requests that would have queued behind it), so"
md "one ~1 s pause can set p99. \"max\" is the slowest real request. The probe line below the table"
md "gives plain sequential latencies of the function and lists every call over 50 ms." ""
table_head
measure "function \`/functions/{id}/execute\`" "$COCO_URL/functions/$hello_id/execute" fn
measure "bare endpoint \`/bench/bare\`" "$COCO_URL/bench/bare" bare
md "" "Warm-up before measuring: function ${WARMUP[fn]}, bare endpoint ${WARMUP[bare]} (wrk, 16 connections," \
   "repeated until a run gained < 10% req/s over the one before)."
log "(a) sequential probe of the function (12,000 calls)"
probe=$(python3 bench/coco.py probe "$COCO_URL/functions/$hello_id/execute" 12000)
md "" "Probe (\`bench/coco.py probe\`, one keep-alive connection): $probe" ""

log "(b) starting bench/naive_server.py on port $NAIVE_PORT"
python3 bench/naive_server.py bench/functions/hello.py "$NAIVE_PORT" >"$work/naive.log" 2>&1 &
naive_pid=$!
for i in $(seq 100); do curl -sf "localhost:$NAIVE_PORT/" >/dev/null && break; sleep 0.1; done
curl -sf "localhost:$NAIVE_PORT/" | grep -q '"Hello, World!"' || die "the naive server did not answer"

md "## (b) The naive design: CPython http.server, exec of the source on every request" ""
table_head
measure "naive CPython server" "http://localhost:$NAIVE_PORT/" naive
md "" "Warm-up before measuring: ${WARMUP[naive]} (as above)." ""
stop "$naive_pid"; naive_pid=""

# --- (c) cold starts ----------------------------------------------------------------------
log "(c) cold starts"
md "## (c1) Deploy → first response, in a warm project (5 new functions)" ""
python3 bench/coco.py cold-deploy "$hello_project" 5 >>"$report"
md "" "## (c2) First call in a new project (its first Python context), 3 new projects" ""
python3 bench/coco.py cold-project 3 >>"$report"
md ""
# shellcheck source=/dev/null
. "$BENCH_SUMMARY"

# --- (d) CPU-bound and JSON-heavy ---------------------------------------------------------
log "(d) CPU and JSON: 30 calls each on GraalPy, then python3"
cpu_project=$(python3 bench/coco.py project "Bench cpu")
md "## (d) CPU-bound and JSON-heavy: GraalPy (warm) vs python3" ""
md "GraalPy: 30 sequential calls via \`/execute\`; the envelope's \`execution_time\` of the first call and"
md "the median of the last 10. python3: the same \`main()\` in-process (\`bench/cpu_json.py\`), median of 10"
md "after 3 warm-up calls." ""
md "| workload | GraalPy first call (ms) | GraalPy warm median (ms) | python3 median (ms) | GraalPy warm / python3 |"
md "|---|---|---|---|---|"
declare -A CPU_RATIO
for name in cpu json_heavy; do
  id=$(python3 bench/coco.py deploy "$cpu_project" "$name" "bench/functions/$name.py" 60)
  graalpy=$(python3 bench/coco.py exec-times "$id" 30)           # "first_ms warm_median_ms"
  cpython=$(python3 bench/cpu_json.py "bench/functions/$name.py")  # "name first_ms median_ms"
  read -r g_first g_warm <<<"$graalpy"
  read -r _ _ p_median <<<"$cpython"
  CPU_RATIO[$name]=$(ratio "$g_warm" "$p_median")
  label=$([ "$name" = cpu ] && echo 'loop: `sum(i*i for i in range(1_000_000))`' \
          || echo 'JSON: 1,000 × 20-field dicts, `dumps` + `loads`')
  md "| $label | $g_first | $g_warm | $p_median | ${CPU_RATIO[$name]}× |"
done
md ""

# --- ratios against the issue's targets ---------------------------------------------------
p50_ratio=$(ratio "${P50[fn/1]}" "${P50[bare/1]}")
p50_ratio16=$(ratio "${P50[fn/16]}" "${P50[bare/16]}")
rps_ratio=$(ratio "${RPS[fn/16]}" "${RPS[naive/16]}")
rss_worst=$(( rss_deployed > rss_called ? rss_deployed : rss_called ))
md "## Ratios" ""
md "- Warm hello p50 is ${p50_ratio}× the bare endpoint's at 1 connection (${p50_ratio16}× at 16)." \
   "  Target ≤ 2×: $(verdict le "$p50_ratio" 2)."
md "- The function serves ${rps_ratio}× the naive CPython server's requests/s at 16 connections" \
   "  (${RPS[fn/16]} vs ${RPS[naive/16]}). Target ≥ 3×: $(verdict ge "$rps_ratio" 3)."
md "- Deploy → first response: median ${cold_median_ms} ms, max ${cold_max_ms} ms. Target ≤ 300 ms:" \
   "  $(verdict le "$cold_median_ms" 300) by the median, $(verdict le "$cold_max_ms" 300) by the max."
md "- RSS with 100 functions: ${rss_deployed} MB deployed, ${rss_called} MB after calling each once" \
   "  (${rss_idle} MB with none). Target ≤ 600 MB: $(verdict le "$rss_worst" 600)."
md "- GraalPy warm takes ${CPU_RATIO[cpu]}× python3's time on the CPU loop and ${CPU_RATIO[json_heavy]}× on the" \
   "  JSON round trip (no target)."

mkdir -p bench/results
result_file=bench/results/$(date -u +%Y%m%dT%H%M%SZ).md
cp "$report" "$result_file"
cat "$report"
log "done; saved to $result_file"
