#!/usr/bin/env bash
# Async invocations, measured (bench/README.md "Async invocations"): the latency of the 202 answer over a few
# hundred warm sequential calls, and how long the queue takes to run them. Starts the server on a throw-away data
# dir (port 18084); about a minute after the build.
# Prints a Markdown report and saves it to bench/results/async-<UTC time>.md.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly SERVER_PORT=18084
readonly EMAIL=bench@example.com PASSWORD=bench-password-123
export COCO_URL="http://localhost:$SERVER_PORT"
source bench/lib.sh

start_throwaway_server
{
  echo "# Async invocations: $(date -u +%FT%TZ)"
  echo
  echo "Machine: $(nproc) cores (shared); server defaults (coco.async.threads=8, retry-backoff 1 s)."
  echo
  (cd bench && python3 async_accept.py)
} >"$work/report.md"
mkdir -p bench/results
cp "$work/report.md" "bench/results/async-$(date -u +%Y%m%dT%H%M%SZ).md"
cat "$work/report.md"
