#!/usr/bin/env bash
# Checks that the JVM's AOT cache never stops ./cococloud run from starting the server (docs/operations.md,
# "Start-up: the JVM's AOT cache"): with a corrupt cache, and with no cache after a failed training.
#   bench/aot-cache-check.sh      (a few minutes; port 18083, throw-away data dir; the next ./cococloud run
#                                 trains the cache again)
# A script rather than a JUnit test: it is about the launcher and the JDK, and needs the built jar.
set -euo pipefail
cd "$(dirname "$0")/.."
readonly SERVER_PORT=18083 EMAIL=bench@example.com PASSWORD=bench-password-123
export COCO_URL="http://localhost:$SERVER_PORT"
source bench/lib.sh
work=$(mktemp -d /tmp/cococloud-bench-work-XXXXXX)
data=$(mktemp -d /tmp/cococloud-bench-data-XXXXXX)
chmod 711 "$data"
server_pid=""
trap 'stop "$server_pid"; rm -rf "$work" "$data"' EXIT
aot=app/target/aot

check() { # $1 = what was done to the cache
  start_server
  grep -q 'AOTCache=' "/proc/$server_pid/cmdline" && using=with || using=without
  log "OK: $1: the server started ($using -XX:AOTCache)"
  stop "$server_pid"
}

./cococloud build >&2
start_server # trains the cache if this build has none
stop "$server_pid"
[ -f "$aot/cococloud.aot" ] || die "no cache after a first run (see $aot/training.log)"

head -c 1048576 /dev/urandom >"$aot/cococloud.aot"
check "a corrupt cache"

rm -f "$aot/cococloud.aot"
: >"$aot/training.failed"
check "no cache, training failed earlier"

rm -f "$aot/training.failed" # the next run trains again
log "all checks passed"
