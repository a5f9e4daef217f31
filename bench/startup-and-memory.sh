#!/usr/bin/env bash
# Measures the server's startup (first start with a fresh data dir, then a restart) and its
# idle memory (RSS). Usage: bench/startup-and-memory.sh [idle-seconds]   (default 30)
# Uses a throw-away data dir and port 18080; prints one line per measurement.
set -euo pipefail
cd "$(dirname "$0")/.."
idle=${1:-30}
data=$(mktemp -d /tmp/cococloud-bench-XXXXXX)
chmod 711 "$data"
port=18080
./cococloud build >/dev/null

run_once() { # $1 = label
  local t0 t1 pid
  t0=$(date +%s%N)
  COCO_DATA_DIR="$data" PORT=$port COCO_ADMIN_EMAIL=bench@example.com COCO_ADMIN_PASSWORD=bench-password-123 \
    ./cococloud run >"$data/$1.log" 2>&1 &
  until curl -sf "localhost:$port/actuator/health" >/dev/null; do sleep 0.05; done
  t1=$(date +%s%N)
  pid=$(pgrep -f "cococloud.jar" | head -n1)
  echo "$1: healthy after $(( (t1 - t0) / 1000000 )) ms (launcher to first UP);" \
       "$(grep -o 'Started CocoCloudApplication in [0-9.]* seconds' "$data/$1.log")"
  sleep "$idle"
  echo "$1: RSS after ${idle} s idle: $(( $(ps -o rss= -p "$pid") / 1024 )) MB" \
       "(PostgreSQL, a separate process tree, not included)"
  kill "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}

echo "# $(date -u +%FT%TZ) on $(nproc) cores, $(java -version 2>&1 | head -n1)"
run_once first-start
run_once restart
rm -rf "$data"
