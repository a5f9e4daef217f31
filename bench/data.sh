#!/usr/bin/env bash
# The data benchmarks of bench/README.md: a page query over 1,000,000 documents, from a function
# and from the REST API, without and with a declared index, and REST create throughput.
#
#   bench/data.sh [POSTS]     (POSTS defaults to 1000000; about 10 minutes on 2 cores; needs wrk,
#                             curl, python3 and psql)
#
# Starts the server on a throw-away data dir (port 18082), loads 1,000 authors and POSTS posts
# through the batch endpoint, then measures with wrk (1 and 8 connections, 10 s each) the page
# "published posts with views >= 990,000, most viewed first, 20, author populated" as
#   GET /collections/posts/documents?status=published&views_gte=990000&sort=views&order=desc
#       &limit=20&populate=author                                            (REST)
#   db.query("posts", status="published", views_gte=990000, sort="views", order="desc",
#            limit=20, populate=["author"]) in a function                   (function)
# first with no declared index, then after PATCHing `views` into the collection's indexes. Each
# target is warmed up (10 s at 8 connections, 5 s at 1) before it is measured.
# Last, single-document creates through POST /collections/documents (wrk, 8 connections).
# Prints a Markdown report and saves it to bench/results/data-<UTC time>.md.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly SERVER_PORT=18082 POSTS=${1:-1000000}
readonly EMAIL=bench@example.com PASSWORD=bench-password-123
export COCO_URL="http://localhost:$SERVER_PORT"
source bench/lib.sh

for tool in wrk curl python3 psql; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
if curl -s -o /dev/null "localhost:$SERVER_PORT"; then die "port $SERVER_PORT is already in use"; fi

started_at=$(date -u +%FT%TZ)
work=$(mktemp -d /tmp/cococloud-bench-work-XXXXXX)
data=$(mktemp -d /tmp/cococloud-bench-data-XXXXXX)
chmod 711 "$data"  # as root, PostgreSQL runs as nobody, which must reach the cluster inside
report=$work/report.md
server_pid=""
cleanup() {
  local rc=$?
  if [ "$rc" -ne 0 ] && [ -f "$work/server.log" ]; then
    log "failed (exit $rc); last lines of the server log:"
    tail -n 40 "$work/server.log" >&2
  fi
  stop "$server_pid"
  rm -rf "$work" "$data"
}
trap cleanup EXIT
md() { printf '%s\n' "$@" >>"$report"; }

# Measures at 1 and 8 connections (wrk's timeout raised to 30 s: unindexed pages over a million
# documents are slow, and a timeout would count as an error); appends a table row per run. $1 = label, $2 = URL,
# then extra wrk arguments (headers, a script).
measure() {
  local label=$1 url=$2 connections out p50 p99 max rps errors
  shift 2
  log "wrk: $label"
  # warm-up: the JIT compiles the request path during the first thousands of calls
  wrk -t2 -c8 -d10s --timeout 30s "$@" "$url" >/dev/null
  wrk -t1 -c1 -d5s --timeout 30s "$@" "$url" >/dev/null
  for connections in 1 8; do
    out=$work/wrk.txt
    wrk -t$(( connections == 1 ? 1 : 2 )) -c$connections -d10s --timeout 30s --latency "$@" "$url" >"$out"
    read -r p50 p99 max rps errors < <(parse_wrk "$out")
    md "| $label | $connections | $p50 | $p99 | $max | $rps | $errors |"
  done
}

start_server
COCO_TOKEN=$(python3 bench/coco.py token "$EMAIL" "$PASSWORD")
export COCO_TOKEN
eval "$(python3 bench/data.py setup)"   # sets project and key

md "# CocoCloud data benchmark, $started_at" "" \
  "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo);" \
  "PostgreSQL 17 embedded (zonky), on the same machine." ""
log "loading $POSTS posts"
md "## Load" "" "$(python3 bench/data.py load "$key" "$POSTS" 4)" ""
# A bulk load leaves work for autovacuum (visibility map, statistics, and the GIN index's pending
# list, which every containment query scans until it is merged). Doing it now keeps it out of the
# measurements; a server that has been running a while is in this state anyway.
log "VACUUM ANALYZE documents"
pg_port=$(sed -n 's/.*PostgreSQL started from .* on port \([0-9]*\).*/\1/p' "$work/server.log" | head -n1)
PGPASSWORD=$(cat "$data/postgres/password") psql -q -h 127.0.0.1 -p "$pg_port" -U postgres cococloud \
  -c "VACUUM ANALYZE documents" || die "could not VACUUM through psql (port '$pg_port')"

function_id=$(python3 bench/coco.py deploy "$project" query_posts bench/functions/query_posts.py)
python3 bench/coco.py call "$function_id" | grep -q '"total"' || die "query_posts answered wrongly"
rest="$COCO_URL/collections/posts/documents?status=published&views_gte=990000&sort=views&order=desc&limit=20&populate=author"
check=$(curl -sf -H "x-api-key: $key" "$rest" | python3 -c 'import json, sys; d = json.load(sys.stdin); print(len(d), d[0]["data"]["author"]["name"] if d else "")')
log "REST page: $check"

md "## Page query over $POSTS posts" "" \
  "| target | connections | p50 (ms) | p99 (ms) | max (ms) | req/s | errors |" "|---|---|---|---|---|---|---|"
measure "REST, no declared index" "$rest" -H "x-api-key: $key"
measure "function, no declared index" "$COCO_URL/functions/$function_id/execute"
seconds=$(python3 bench/data.py index "$project" views)
measure "REST, \`views\` indexed" "$rest" -H "x-api-key: $key"
measure "function, \`views\` indexed" "$COCO_URL/functions/$function_id/execute"
md "" "Declaring \`views\` indexed (two partial btree indexes, built concurrently, and statistics) took ${seconds} s." ""

cat >"$work/create.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"data": {"title": "New post", "status": "draft", "views": 0, "author_id": "author-1"}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["x-api-key"] = "$key"
LUA
md "## Single-document create" "" \
  "| target | connections | p50 (ms) | p99 (ms) | max (ms) | req/s | errors |" "|---|---|---|---|---|---|---|"
measure "POST /collections/documents" "$COCO_URL/collections/documents?collection=posts" -s "$work/create.lua"

mkdir -p bench/results
cp "$report" "bench/results/data-$(date -u +%Y%m%dT%H%M%SZ).md"
cat "$report"
