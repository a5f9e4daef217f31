#!/usr/bin/env bash
# Sites against functions (bench/README.md "Sites"): the same hello-world main() as a function and as a site
# route (in a 61-route site), and a site's static file, each called sequentially. Starts the server on a throw-away
# data dir (port 18084); about 2 minutes. Prints a Markdown report and saves it to bench/results/sites-<time>.md.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly SERVER_PORT=18084
readonly EMAIL=bench@example.com PASSWORD=bench-password-123
export COCO_URL="http://localhost:$SERVER_PORT"
source bench/lib.sh

start_throwaway_server
{
  echo "# Sites: $(date -u +%FT%TZ)"
  echo
  echo "Machine: $(nproc) cores, shared with other work while measured; GraalPy interpreted."
  echo
  (cd bench && python3 sites.py)
} >"$work/report.md"
mkdir -p bench/results
cp "$work/report.md" "bench/results/sites-$(date -u +%Y%m%dT%H%M%SZ).md"
cat "$work/report.md"
