#!/usr/bin/env bash
# Web framework apps against a plain WSGI handler (bench/README.md "Framework apps"): deploy, load, first call,
# warm latency, req/s at 16 connections and heap per context for each app whose Debian packages
# scripts/python-test-packages.sh has fetched. Starts the server on a throw-away data dir (port 18085); about
# 5 minutes. Needs wrk, jcmd, curl, python3. Prints a Markdown report, saved to bench/results/frameworks-<time>.md.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly SERVER_PORT=18085
readonly EMAIL=bench@example.com PASSWORD=bench-password-123
export COCO_URL="http://localhost:$SERVER_PORT"
source bench/lib.sh

for tool in wrk jcmd curl python3; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
scripts/python-test-packages.sh
start_throwaway_server
export SERVER_PID=$server_pid SERVER_LOG=$work/server.log
{
  echo "# Framework apps: $(date -u +%FT%TZ)"
  echo
  echo "Machine: $(nproc) cores, which the server, wrk and this script share; GraalPy interpreted; the server warmed up"
  echo "first with a plain handler (3,000 calls and wrk runs), not reported."
  echo
  (cd bench && python3 frameworks.py)
} >"$work/report.md"
mkdir -p bench/results
cp "$work/report.md" "bench/results/frameworks-$(date -u +%Y%m%dT%H%M%SZ).md"
cat "$work/report.md"
