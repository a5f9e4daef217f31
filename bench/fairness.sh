#!/usr/bin/env bash
# Tenant fairness, measured (bench/README.md "Fairness"): a bystander project's latency while another project
# floods a slow function with 120 callers, and a timed-out call's answer while a third project's call sits in a
# builtin that ignores cancellation. Starts the server on a throw-away data dir (port 18083); about 2 minutes.
# Prints a Markdown report and saves it to bench/results/fairness-<UTC time>.md.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly SERVER_PORT=18083
readonly EMAIL=bench@example.com PASSWORD=bench-password-123
export COCO_URL="http://localhost:$SERVER_PORT"
source bench/lib.sh

start_throwaway_server
{
  echo "# Fairness: $(date -u +%FT%TZ)"
  echo
  echo "Machine: $(nproc) cores; server defaults (4 running + 100 queued calls per project, 64 in all)."
  echo
  (cd bench && python3 fairness.py)
} >"$work/report.md"
mkdir -p bench/results
cp "$work/report.md" "bench/results/fairness-$(date -u +%Y%m%dT%H%M%SZ).md"
cat "$work/report.md"
