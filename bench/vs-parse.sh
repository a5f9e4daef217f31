#!/usr/bin/env bash
# CocoCloud against Parse Server, side by side on this machine: every ratio of issue 15 in one command.
#
#   bench/vs-parse.sh [--posts N] [--rounds N] [--warmup S] [--duration S] [--no-index-too] [--no-restarts]
#
#   --posts N        posts in both servers (default 5000; 100000 for the issue's second size, 1000000 for the
#                    scale table: loading then takes minutes on each side)
#   --rounds N       interleaved rounds (default 3)
#   --warmup S       wrk warm-up of each target in each round (default 5; the first round repeats it until steady)
#   --duration S     each measured wrk run (default 10)
#   --no-index-too   also measure the page targets before `views` is declared indexed (one more set of rounds)
#   --no-restarts    skip the restarts and the 100 functions' memory, which do not depend on --posts (for a
#                    second size)
#
# About 13 minutes with the defaults on 2 cores (18 when other builds share them: each CocoCloud restart then
# takes minutes) (needs wrk, curl, python3, node 20 and npm, psql, setpriv when
# run as root). What it does:
#   - CocoCloud as ./cococloud run starts it (building the jar if a source changed), on a throw-away data dir and
#     port 18086, with the bare endpoint /bench/bare on its classpath (bench/bare/, see lib.sh);
#   - Parse Server 9.10.0 (bench/parse/: npm ci into bench/parse/node_modules when absent) on port 18096, on its
#     own PostgreSQL cluster (port 15433, a throw-away folder) made with initdb from the very binaries the
#     CocoCloud server runs (the folder its log names), as `nobody` when run as root;
#   - bench/naive_server.py (CPython) on port 18091;
#   - idle RSS of both servers 20 s after start (and again 20 s after the restarts below); the same 100 authors
#     and N posts loaded into both (CocoCloud through batch create, Parse through /parse/batch; bench/vs_parse.py),
#     VACUUM ANALYZE on both, `views`
#     declared indexed on CocoCloud's `posts` (as a demanding user would; Parse has no such declaration);
#   - rounds: in each, one target after the other (the order reversed every other round), each warmed up, then
#     measured with wrk (in the first round each warmed up until steady): hello (1 and 16 connections) on both, the bare endpoint (1), the naive server (16); the
#     page (8 connections) as CocoCloud's `page` and `page_total` functions, its REST page and Parse's `page`;
#     create one document (8 connections) on both. RSS of both after each round;
#   - restarts, alternating: stop a server, start it again and time until its hello function answers 200, polled
#     every 50 ms by one process, bench/first_ok.py (CocoCloud's includes starting its embedded PostgreSQL; Parse's
#     PostgreSQL keeps running);
#   - RSS of CocoCloud with 100 functions in 10 projects (bench/coco.py deploy-many, as bench/run.sh).
# Prints a Markdown report (progress on stderr) and saves it to bench/results/vs-parse-<UTC time>.md.
set -euo pipefail
cd "$(dirname "$0")/.."

POSTS=5000 ROUNDS=3 WARMUP=5 DURATION=10 NO_INDEX_TOO=0 NO_RESTARTS=0
while [ $# -gt 0 ]; do
  case "$1" in
    --posts) POSTS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --no-index-too) NO_INDEX_TOO=1; shift ;;
    --no-restarts) NO_RESTARTS=1; shift ;;
    *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done
for n in "$POSTS" "$ROUNDS" "$WARMUP" "$DURATION"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "vs-parse.sh: '$n' is not a positive whole number" >&2; exit 2; }
done
command_line="bench/vs-parse.sh --posts $POSTS --rounds $ROUNDS --warmup $WARMUP --duration $DURATION"
[ "$NO_INDEX_TOO" -eq 0 ] || command_line+=" --no-index-too"
[ "$NO_RESTARTS" -eq 0 ] || command_line+=" --no-restarts"

readonly SERVER_PORT=18086 PARSE_PORT=18096 NAIVE_PORT=18091 PARSE_PG_PORT=15433
readonly EMAIL=bench@example.com PASSWORD=bench-password-123
export COCO_URL="http://localhost:$SERVER_PORT"
export PARSE_URL="http://127.0.0.1:$PARSE_PORT/parse"
source bench/lib.sh

for tool in wrk curl python3 node npm psql; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
[ "$(id -u)" -ne 0 ] || command -v setpriv >/dev/null || die "setpriv is needed to run PostgreSQL as nobody"
for port in $SERVER_PORT $PARSE_PORT $NAIVE_PORT $PARSE_PG_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then die "port $port is already in use"; fi
done

started_at=$(date -u +%FT%TZ)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
work=$(mktemp -d /tmp/cococloud-bench-work-XXXXXX)      # logs, wrk output, the report being written
data=$(mktemp -d /tmp/cococloud-bench-data-XXXXXX)      # CocoCloud's throw-away data dir
parse_home=$(mktemp -d /tmp/parse-bench-XXXXXX)         # Parse's PostgreSQL cluster
chmod 711 "$data" "$parse_home"  # as root, PostgreSQL runs as nobody, which must reach the clusters inside
runs=$work/runs.tsv meta_file=$work/meta.env
: >"$runs"; : >"$meta_file"
server_pid="" parse_pid="" naive_pid="" parse_pg_bin=""

# PostgreSQL refuses to run as root: then initdb, pg_ctl and the server run as nobody (what the app does too).
as_pg=()
[ "$(id -u)" -ne 0 ] || as_pg=(setpriv --reuid=nobody --regid="$(id -gn nobody)" --clear-groups)

cleanup() {
  local rc=$?
  if [ "$rc" -ne 0 ]; then
    log "failed (exit $rc); last lines of the logs:"
    for f in "$work"/server*.log "$work/parse.log"; do
      if [ -f "$f" ]; then echo "--- $f" >&2; tail -n 30 "$f" >&2; fi
    done
  fi
  stop "$naive_pid"
  stop "$parse_pid"
  stop "$server_pid"
  if [ -n "$parse_pg_bin" ] && [ -f "$parse_home/pg/postmaster.pid" ]; then
    "${as_pg[@]}" "$parse_pg_bin/pg_ctl" -D "$parse_home/pg" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work" "$data" "$parse_home"
}
trap cleanup EXIT

meta() { local name=$1; shift; printf '%s=%s\n' "$name" "$*" >>"$meta_file"; }
rss_mb() { echo $(( $(ps -o rss= -p "$1") / 1024 )); }
millis() { echo $(( $(date +%s%N) / 1000000 )); }
compaction_log=--logging.level.io.cococloud.memory=debug
# $1 = a reading of idle RSS, $2 = the server's log: when that reading came, and when the quiet heap was compacted
idle_note() {
  meta idle_note "$1 read at $(date -u +%T); the quiet heap compacted at:" \
    "$(sed -n 's/^[0-9-]*T\([0-9:]*\)\.[0-9]*Z .*Compacted the quiet heap in \(.*\)$/\1 (\2)/p' "$2" | paste -sd ';' -)"
}

parse_call() { # $1 = function name; prints the answer, fails unless a 200
  curl -sf -X POST -H 'X-Parse-Application-Id: bench' -H 'Content-Type: application/json' -d '{}' \
    "$PARSE_URL/functions/$1"
}

# Starts Parse Server (bench/parse/server.js) in the background: sets parse_pid, appends to $work/parse.log.
launch_parse() {
  (cd bench/parse && exec env PARSE_PORT="$PARSE_PORT" \
     PARSE_DATABASE_URI="postgres://postgres@127.0.0.1:$PARSE_PG_PORT/parse" node server.js) \
    >>"$work/parse.log" 2>&1 &
  parse_pid=$!
}

# Waits until $1 (a command) succeeds, polling every 50 ms, while process $2 lives; at most $3 seconds.
wait_for() {
  local check=$1 pid=$2 limit=$3 deadline=$(( SECONDS + $3 ))
  until eval "$check" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || die "process $pid exited while waiting for: $check"
    [ "$SECONDS" -lt "$deadline" ] || die "no success within $limit s: $check"
    sleep 0.05
  done
}

# --- Parse Server's packages ----------------------------------------------------------------------------------
if [ ! -f bench/parse/node_modules/parse-server/package.json ]; then
  log "installing Parse Server into bench/parse/node_modules (npm ci)"
  (cd bench/parse && npm ci --no-audit --no-fund >&2)
fi

# --- CocoCloud ------------------------------------------------------------------------------------------------
with_bare_endpoint
# The memory package's debug line says when the quiet heap was compacted: the idle readings' notes (below) name it.
start_server "$compaction_log"
COCO_TOKEN=$(python3 bench/coco.py token "$EMAIL" "$PASSWORD")
export COCO_TOKEN
java_bin=$(readlink -f "/proc/$server_pid/exe")
bare_endpoint_answers
# The binaries the server runs its PostgreSQL from: Parse's cluster is made from the same ones.
pg_install=$(sed -n 's/.*PostgreSQL started from \(.*\) on port \([0-9]*\) with data.*/\1/p' "$work/server.log" | head -n1)
coco_pg_port=$(sed -n 's/.*PostgreSQL started from .* on port \([0-9]*\) with data.*/\1/p' "$work/server.log" | head -n1)
[ -x "$pg_install/bin/pg_ctl" ] || die "the server's log names no embedded PostgreSQL (is SPRING_DATASOURCE_URL set?)"
log "CocoCloud up (pid $server_pid); its PostgreSQL runs from $pg_install on port $coco_pg_port"

# --- Parse's PostgreSQL and Parse Server ----------------------------------------------------------------------
parse_pg_bin=$pg_install/bin
mkdir -m 700 "$parse_home/pg"
[ "${#as_pg[@]}" -eq 0 ] || chown nobody:"$(id -gn nobody)" "$parse_home/pg"
log "initdb and start Parse's PostgreSQL on port $PARSE_PG_PORT${as_pg:+ as nobody}"
"${as_pg[@]}" "$parse_pg_bin/initdb" -D "$parse_home/pg" -U postgres -A trust -E UTF8 --no-locale >/dev/null
# The same settings as the app's embedded cluster (EmbeddedPostgres.launch), durable like the dev server's.
"${as_pg[@]}" "$parse_pg_bin/pg_ctl" -D "$parse_home/pg" -l "$parse_home/pg/postgres.log" -w \
  -o "-p $PARSE_PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c max_connections=200" \
  start >/dev/null
psql -q -h 127.0.0.1 -p "$PARSE_PG_PORT" -U postgres -c 'CREATE DATABASE parse' postgres
launch_parse
wait_for "parse_call hello" "$parse_pid" 120
log "Parse Server up (pid $parse_pid)"

python3 bench/naive_server.py bench/functions/hello.py "$NAIVE_PORT" >"$work/naive.log" 2>&1 &
naive_pid=$!
wait_for "curl -sf localhost:$NAIVE_PORT/" "$naive_pid" 30

log "idle 20 s, then RSS of both"
sleep 20
meta coco_rss_idle_mb "$(rss_mb "$server_pid")"
idle_note "idle RSS 20 s after the first start" "$work/server.log"
meta parse_rss_idle_mb "$(rss_mb "$parse_pid")"

# --- the same data in both ------------------------------------------------------------------------------------
eval "$(python3 bench/vs_parse.py coco-setup)"   # sets project and key
log "loading 100 authors and $POSTS posts into CocoCloud"
meta coco_load "$(python3 bench/vs_parse.py coco-load "$key" "$POSTS" 4)"
log "loading the same into Parse"
meta parse_load "$(python3 bench/vs_parse.py parse-load "$POSTS" 4)"
# A bulk load leaves work for autovacuum (visibility map, statistics, GIN pending list): done now, on both, so
# that it stays out of the measurements.
log "VACUUM ANALYZE on both databases"
PGPASSWORD=$(cat "$data/postgres/password") psql -q -h 127.0.0.1 -p "$coco_pg_port" -U postgres cococloud \
  -c 'VACUUM ANALYZE documents' || die "could not VACUUM CocoCloud's documents"
psql -q -h 127.0.0.1 -p "$PARSE_PG_PORT" -U postgres parse -c 'VACUUM ANALYZE "Author"' -c 'VACUUM ANALYZE "Post"'
meta check "$(python3 bench/vs_parse.py check "$key")"

hello_id=$(python3 bench/coco.py deploy "$project" hello bench/functions/hello.py)
page_id=$(python3 bench/coco.py deploy "$project" page bench/parse/coco/page.py)
page_total_id=$(python3 bench/coco.py deploy "$project" page_total bench/parse/coco/page_total.py)
python3 bench/coco.py call "$page_id" | python3 -c '
import json, sys
page = json.load(sys.stdin)["result"]
assert len(page) == 10 and all(p["author"]["name"] for p in page), page' || die "the page function answered wrongly"
python3 bench/coco.py call "$page_total_id" | grep -q '"total"' || die "page_total answered no total"
rest_page="$COCO_URL/collections/posts/documents?status=published&views_gte=100&sort=created_at&order=desc&limit=10&populate=author"
[ "$(curl -sf -H "x-api-key: $key" "$rest_page" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')" = 10 ] \
  || die "the REST page did not answer 10 posts"

# --- wrk --------------------------------------------------------------------------------------------------------
cat >"$work/parse-call.lua" <<'LUA'
wrk.method = "POST"
wrk.body = "{}"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Parse-Application-Id"] = "bench"
LUA
# Creates go to a collection of their own on both sides, so that the page reads the same data in every round.
# Both with the key that bypasses the rules: CocoCloud's server key, Parse's master key.
cat >"$work/parse-create.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"title": "New post", "status": "draft", "views": 0, "body": "A draft written during the benchmark."}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Parse-Application-Id"] = "bench"
wrk.headers["X-Parse-Master-Key"] = "bench-master-key"
LUA
cat >"$work/coco-create.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"data": {"title": "New post", "status": "draft", "views": 0, "body": "A draft written during the benchmark."}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["x-api-key"] = "$key"
LUA

# Warms a target up ($WARMUP s at its highest connection count), then measures it for $DURATION s at each of
# its connection counts; appends "round target connections p50 p99 max req/s errors" to $runs.
# $1 = round, $2 = target, $3 = URL, $4 = connection counts ("1 16"), then extra wrk arguments.
measure() {
  local round=$1 target=$2 url=$3 counts=$4 c top out result
  shift 4
  top=${counts##* }
  # The first round warms each target until it is steady: $WARMUP-second runs until two in a row each gain < 5 %
  # requests/s over the best run before them (3 to 16 runs). The JVM keeps compiling GraalPy's interpreter (and Node
  # its code) for the first 30-60 s of load; a fixed warm-up measured that, not the warm call, and so did the rule
  # before (one run gaining < 10 % over the one before, 2-8 runs: bench/run.sh's), which a slow climb passes (the
  # page function at +8 % a run, bench/README.md, twenty-ninth session).
  if [ "$round" -eq 1 ]; then
    local tries=0 best=0 calm=0 current
    while :; do
      current=$(wrk -t$(( top == 1 ? 1 : 2 )) -c"$top" -d"${WARMUP}s" --timeout 10s "$@" "$url" \
        | awk '/^Requests\/sec:/ { printf "%.0f", $2 }')
      current=${current:-0}
      tries=$(( tries + 1 ))
      if [ "$current" -lt $(( best * 105 / 100 )) ]; then calm=$(( calm + 1 )); else calm=0; fi
      if [ "$current" -gt "$best" ]; then best=$current; fi
      if [ "$tries" -ge 16 ] || [ "$calm" -ge 2 ]; then
        break
      fi
    done
    log "round 1: $target (steady after $tries warm-up runs of ${WARMUP} s, then ${DURATION} s at $counts connection(s))"
  else
    log "round $round: $target (warm-up ${WARMUP} s, then ${DURATION} s at $counts connection(s))"
    wrk -t$(( top == 1 ? 1 : 2 )) -c"$top" -d"${WARMUP}s" --timeout 10s "$@" "$url" >/dev/null
  fi
  for c in $counts; do
    out=$work/wrk-$round-$target-c$c.txt
    wrk -t$(( c == 1 ? 1 : 2 )) -c"$c" -d"${DURATION}s" --timeout 10s --latency "$@" "$url" >"$out"
    result=$(parse_wrk "$out")
    [ "$(echo "$result" | cut -d' ' -f4)" != 0 ] || die "wrk got no answers from $url (see $out)"
    echo "$round $target $c $result" >>"$runs"
  done
}

target() { # $1 = round, $2 = target name (the keys of vs_parse.py's LABELS)
  local r=$1
  case "$2" in
    coco-hello) measure "$r" coco-hello "$COCO_URL/functions/$hello_id/execute" "1 16" ;;
    parse-hello) measure "$r" parse-hello "$PARSE_URL/functions/hello" "1 16" -s "$work/parse-call.lua" ;;
    bare) measure "$r" bare "$COCO_URL/bench/bare" 1 ;;
    naive) measure "$r" naive "http://localhost:$NAIVE_PORT/" 16 ;;
    coco-page*|parse-page*|coco-rest*)
      case "$2" in
        coco-page-total*) measure "$r" "$2" "$COCO_URL/functions/$page_total_id/execute" 8 ;;
        coco-page*) measure "$r" "$2" "$COCO_URL/functions/$page_id/execute" 8 ;;
        coco-rest*) measure "$r" "$2" "$rest_page" 8 -H "x-api-key: $key" ;;
        parse-page*) measure "$r" "$2" "$PARSE_URL/functions/page" 8 -s "$work/parse-call.lua" ;;
      esac ;;
    coco-create) measure "$r" coco-create "$COCO_URL/collections/documents?collection=drafts" 8 -s "$work/coco-create.lua" ;;
    parse-create) measure "$r" parse-create "$PARSE_URL/classes/Draft" 8 -s "$work/parse-create.lua" ;;
    *) die "unknown target $2" ;;
  esac
}

# Runs the targets $2... in round $1, in reverse order in even rounds (so that neither side always goes first).
round() {
  local r=$1 t list
  shift
  list=("$@")
  if [ $(( r % 2 )) -eq 0 ]; then
    for (( t = ${#list[@]} - 1; t >= 0; t-- )); do target "$r" "${list[t]}"; done
  else
    for t in "${list[@]}"; do target "$r" "$t"; done
  fi
}

if [ "$NO_INDEX_TOO" -eq 1 ]; then
  for r in $(seq "$ROUNDS"); do
    round "$r" parse-page-noindex coco-page-noindex coco-rest-noindex coco-page-total-noindex
  done
fi
log "declaring views indexed on CocoCloud's posts"
meta index "yes (declared after loading: $(python3 bench/data.py index "$project" views) s to build)"

# The targets a ratio compares are measured one right after the other (the naive server, our hello, Parse's hello;
# Parse's page, our page function, our REST page; both creates), so that the machine's drift between the two is
# seconds, not most of a round: on a shared 2-core machine one 10-s run can be a third slower than the run after it
# (bench/README.md, "The page function's spread"). Only the bare endpoint is one target away from our hello.
for r in $(seq "$ROUNDS"); do
  round "$r" bare naive coco-hello parse-hello parse-page coco-page coco-rest coco-page-total coco-create parse-create
  meta coco_rss_load_mb "$(rss_mb "$server_pid")"
  meta parse_rss_load_mb "$(rss_mb "$parse_pid")"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- restarts -----------------------------------------------------------------------------------------------------
# Both servers' first 200 is polled every 50 ms by one Python process (bench/first_ok.py; it prints that moment),
# not by curl in a shell loop: on this machine kind each curl and sleep process costs ~20 ms of CPU, and the loop
# took ~0.3 of one core from the 2-core start it was timing (~0.5 s of a CocoCloud restart: bench/README.md).
first_ok() { python3 bench/first_ok.py "$@" || die "no first 200: $1"; }
restart_coco() { # $1 = its number
  local t0 t1 launcher log_file=$work/server-restart-$1.log
  stop "$server_pid"
  t0=$(millis)
  # without bench/bare, which the rounds are done with: a restart as users have it
  env -u COCO_LOADER_PATH COCO_DATA_DIR="$data" PORT="$SERVER_PORT" ./cococloud run "$compaction_log" >"$log_file" 2>&1 &
  launcher=$!
  t1=$(first_ok "$COCO_URL/functions/$hello_id/execute" --pid "$launcher" --timeout 300)
  server_pid=$(pgrep -P "$launcher" -x java | head -n1)
  [ -n "$server_pid" ] || die "no JVM under launcher $launcher"
  meta coco_restart_ms $(( t1 - t0 ))
  # Where the time went, from the server's own log lines
  meta restart_note "CocoCloud restart $1: its hello answered 200 after $(( t1 - t0 )) ms;" \
    "$(sed -n 's/.*PostgreSQL started from .*(\([0-9]*\) ms)$/PostgreSQL started in \1 ms/p' "$log_file" | head -n1);" \
    "$(grep -o 'Started CocoCloudApplication in [0-9.]* seconds' "$log_file" | head -n1);" \
    "$(grep -o 'Python runtime ready.*' "$log_file" | head -n1)"
}
restart_parse() {
  local t0 t1
  stop "$parse_pid"
  t0=$(millis)
  launch_parse
  t1=$(first_ok "$PARSE_URL/functions/hello" --post '{}' --header 'X-Parse-Application-Id: bench' \
    --header 'Content-Type: application/json' --pid "$parse_pid" --timeout 120)
  meta parse_restart_ms $(( t1 - t0 ))
}
for r in $(seq "$(( NO_RESTARTS ? 0 : ROUNDS ))"); do
  if [ $(( r % 2 )) -eq 1 ]; then restart_coco "$r"; restart_parse; else restart_parse; restart_coco "$r"; fi
  log "restart $r: CocoCloud $(grep '^coco_restart_ms=' "$meta_file" | tail -n1 | cut -d= -f2) ms," \
    "Parse $(grep '^parse_restart_ms=' "$meta_file" | tail -n1 | cut -d= -f2) ms"
done

# The idle figure above is the first start's, which created and migrated the database and has bench/bare on its class
# path; this one is a restart as users have it (the last), and Parse's after its own restart.
if [ "$NO_RESTARTS" -eq 0 ]; then
  log "idle 20 s after the last restarts, then RSS of both"
  sleep 20
  meta coco_rss_idle_restart_mb "$(rss_mb "$server_pid")"
  idle_note "idle RSS 20 s after the last restart" "$work/server-restart-$ROUNDS.log"
  meta parse_rss_idle_restart_mb "$(rss_mb "$parse_pid")"
fi

# --- 100 functions in 10 projects (CocoCloud only) ----------------------------------------------------------------
# After the restarts, so that the figure holds the functions and not the load test's garbage (as bench/run.sh).
if [ "$NO_RESTARTS" -eq 0 ]; then
  log "100 functions in 10 projects: deploy, idle 20 s, call each once, idle 20 s"
  python3 bench/coco.py deploy-many 10 10 >"$work/memory-ids.txt"
  [ "$(wc -l <"$work/memory-ids.txt")" -eq 100 ] || die "expected 100 deployed functions"
  sleep 20
  rss_deployed=$(rss_mb "$server_pid")
  python3 bench/coco.py call-each "$work/memory-ids.txt"
  sleep 20
  rss_called=$(rss_mb "$server_pid")
  meta coco_rss_100fn_mb $(( rss_deployed > rss_called ? rss_deployed : rss_called ))
  meta coco_rss_100fn_detail "$rss_deployed MB deployed, $rss_called MB after calling each once"
fi

# --- the report -----------------------------------------------------------------------------------------------------
meta started_at "$started_at"
meta command "$command_line"
meta machine "$(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
meta load_before "$load_before"
meta load_after "$load_after"
meta coco_version "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- app || echo ' with local changes')"
meta java "$("$java_bin" -version 2>&1 | head -n1)"
meta graalpy "$(grep -o 'Python runtime ready.*' "$work/server.log" | head -n1)"
meta parse_version "parse-server $(node -p 'require("./bench/parse/node_modules/parse-server/package.json").version'), router $(node -p 'require("./bench/parse/node_modules/router/package.json").version')"
meta node "$(node --version)"
meta pg "$("$parse_pg_bin/postgres" --version)"
meta pg_bin "$pg_install"
meta pg_port "$PARSE_PG_PORT"
meta posts "$POSTS"
meta warmup "$WARMUP"
meta duration "$DURATION"
report=$work/report.md
python3 bench/vs_parse.py report "$runs" "$meta_file" >"$report"
mkdir -p bench/results
result_file=bench/results/vs-parse-$(date -u +%Y%m%dT%H%M%SZ).md
cp "$report" "$result_file"
cat "$report"
log "done; saved to $result_file"
