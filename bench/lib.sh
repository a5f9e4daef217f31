# Shared by the benchmark scripts (sourced): logging, starting and stopping the server, reading wrk.
# The caller sets SERVER_PORT, EMAIL, PASSWORD, COCO_URL, $work (logs) and $data (data dir).

log() { echo "[bench $(date -u +%T)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

stop() { # $1 = pid: ask politely (the server stops its PostgreSQL on shutdown), then insist
  local pid=$1 i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for i in $(seq 600); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  log "pid $pid did not stop within 60 s; killing it"
  kill -9 "$pid" 2>/dev/null || true
}

# Prints "p50_ms p99_ms max_ms requests_per_s errors" from the output of wrk --latency (file $1);
# errors = non-2xx/3xx answers plus socket errors. p50 to the microsecond, as wrk gives it: at two decimals a bare
# endpoint's 35-44 us all read 0.04 ms, and a ratio of two p50s moved in steps of 11-25 %.
parse_wrk() {
  awk '
    function ms(v) {
      if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0
      if (v ~ /m$/) return v * 60000; if (v ~ /s$/) return v * 1000; return v
    }
    /^ +Latency +[0-9]/ { max = ms($4) }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    /^Requests\/sec:/ { rps = $2 }
    /Non-2xx or 3xx responses:/ { errors += $NF }
    /Socket errors:/ { gsub(/,/, ""); errors += $4 + $6 + $8 + $10 }
    END { printf "%.3f %.2f %.1f %.0f %d\n", p50, p99, max, rps, errors }' "$1"
}

# The baseline endpoint GET /bench/bare (bench/bare/), which the app does not ship: builds the jar (as
# ./cococloud run would when a source changed), compiles the endpoint against the jar's Spring libraries into
# $work/bare-classes with its META-INF/spring.factories, and exports COCO_LOADER_PATH, so that start_server's server
# has it on its class path, where Spring Boot finds the initializer that adds the endpoint to the context.
with_bare_endpoint() {
  local lib=$work/bare-lib javac_bin
  javac_bin=${JAVA_HOME:+$JAVA_HOME/bin/}javac
  command -v "$javac_bin" >/dev/null || die "javac is not installed (JDK 17 or newer)"
  log "building the jar, then compiling bench/bare against it"
  ./cococloud build >&2
  mkdir -p "$lib" "$work/bare-classes/META-INF"
  unzip -q -o -j app/target/cococloud.jar 'BOOT-INF/lib/spring-web-[0-9]*.jar' \
    'BOOT-INF/lib/spring-context-[0-9]*.jar' 'BOOT-INF/lib/spring-beans-[0-9]*.jar' \
    'BOOT-INF/lib/spring-core-[0-9]*.jar' -d "$lib"
  "$javac_bin" -nowarn -d "$work/bare-classes" -cp "$lib/*" bench/bare/cococloud/bench/*.java \
    || die "bench/bare did not compile"
  cp bench/bare/META-INF/spring.factories "$work/bare-classes/META-INF/"
  export COCO_LOADER_PATH=$work/bare-classes
}

# After start_server: fails unless GET /bench/bare answers, and warns when the server did not start from Spring AOT's
# generated code, as users' servers do (JAVA_OPTS=-Dspring.aot.enabled=false, or a launcher that turns it off).
bare_endpoint_answers() {
  curl -sf "$COCO_URL/bench/bare" | grep -q '"Hello, World!"' \
    || die "GET /bench/bare failed: is bench/bare on the server's class path (COCO_LOADER_PATH)?"
  grep -q "Starting AOT-processed" "$work/server.log" \
    || log "WARNING: the server runs without Spring AOT, unlike a user's: its figures are not comparable"
}

# Starts the server as ./cococloud run does (building the jar first if a source changed) on $data
# and SERVER_PORT, with any extra arguments; sets server_pid and waits until Python is ready.
start_server() {
  log "starting the server (./cococloud run; builds the jar first if a source changed)"
  COCO_DATA_DIR=$data PORT=$SERVER_PORT COCO_ADMIN_EMAIL=$EMAIL COCO_ADMIN_PASSWORD=$PASSWORD \
    ./cococloud run "$@" >"$work/server.log" 2>&1 &
  local launcher=$!
  local deadline=$(( SECONDS + 600 ))  # a build from scratch included
  until curl -sf "$COCO_URL/actuator/health" >/dev/null; do
    kill -0 "$launcher" 2>/dev/null || die "the server exited before it was healthy"
    [ "$SECONDS" -lt "$deadline" ] || die "the server was not healthy after 600 s"
    sleep 0.5
  done
  # The launcher runs java as its child (to start it again after an OutOfMemoryError exit): measure and stop
  # the JVM itself; the launcher ends with it.
  server_pid=$(pgrep -P "$launcher" -x java | head -n1)
  [ -n "$server_pid" ] && [ "$(cat "/proc/$server_pid/comm")" = java ] || die "no JVM under launcher $launcher"
  # The runtime makes its first Python context in the background after startup; memory and
  # latencies are measured after that.
  until grep -q "Python runtime ready" "$work/server.log"; do
    [ "$SECONDS" -lt "$deadline" ] || die "no 'Python runtime ready' in the server log after 600 s"
    sleep 0.5
  done
}

# For a script that measures a server of its own: checks SERVER_PORT is free, makes a throw-away $work and
# $data, starts the server, signs in (exports COCO_TOKEN), and on exit stops the server (showing its log's tail
# when the script failed) and removes both folders.
start_throwaway_server() {
  if curl -s -o /dev/null "localhost:$SERVER_PORT"; then die "port $SERVER_PORT is already in use"; fi
  work=$(mktemp -d /tmp/cococloud-bench-work-XXXXXX)
  data=$(mktemp -d /tmp/cococloud-bench-data-XXXXXX)
  chmod 711 "$data"  # as root, PostgreSQL runs as nobody, which must reach the cluster inside
  server_pid=""
  trap _remove_throwaway_server EXIT
  start_server "$@"
  COCO_TOKEN=$(python3 bench/coco.py token "$EMAIL" "$PASSWORD")
  export COCO_TOKEN
}

_remove_throwaway_server() {
  local rc=$?
  if [ "$rc" -ne 0 ] && [ -f "$work/server.log" ]; then tail -n 40 "$work/server.log" >&2; fi
  stop "$server_pid"
  rm -rf "$work" "$data"
}
