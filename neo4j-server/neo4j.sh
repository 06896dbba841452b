#!/usr/bin/env bash
# Local Neo4j Community server (embedded, Bolt only, auth on, user neo4j, test password) for graphmodel dev and tests.
#
#   neo4j.sh build    build target/graphmodel-neo4j-server.jar + target/lib/ if missing or stale
#   neo4j.sh up       start in the background and wait for READY (no-op if already running)
#   neo4j.sh down     SIGTERM, wait (then SIGKILL), remove pid file (no-op if not running)
#   neo4j.sh status   print running/stopped; exit 0 if running, 1 if not
#
# Env: NEO4J_PORT (7687), NEO4J_HEAP (4g, used for -Xms and -Xmx), NEO4J_PAGECACHE_MB (512),
#      NEO4J_TX_TIMEOUT_S (1800), NEO4J_START_TIMEOUT (180 s), NEO4J_STOP_TIMEOUT (60 s),
#      NEO4J_JAVA_OPTS (extra JVM options), NEO4J_RUN_DIR (run/; give a second server its own),
#      NEO4J_TLS_DIR (a folder with private.key and public.crt: Bolt then requires TLS),
#      NEO4J_TX_MEMORY_MAX (db.memory.transaction.total.max, for example 16m).
# Files: run/neo4j.log (stdout+stderr), run/neo4j.pid, run/home (data; Neo4j's own logs in
#        run/home/logs/).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
HERE="$(pwd)"

PORT="${NEO4J_PORT:-7687}"
HEAP="${NEO4J_HEAP:-4g}"
START_TIMEOUT="${NEO4J_START_TIMEOUT:-180}"
STOP_TIMEOUT="${NEO4J_STOP_TIMEOUT:-60}"

RUN_DIR="${NEO4J_RUN_DIR:-$HERE/run}" # a second server needs its own run dir and port
LOG="$RUN_DIR/neo4j.log"
PIDFILE="$RUN_DIR/neo4j.pid"
PORTFILE="$RUN_DIR/neo4j.port" # port of the running server (status/down use it)
DATA_HOME="$RUN_DIR/home"
JAR="target/graphmodel-neo4j-server.jar"
MAIN_CLASS="graphmodel.neo4j.Launcher"
READY_MARK="graphmodel-neo4j READY"

JDK17=/usr/lib/jvm/java-17-openjdk-amd64
if [[ -x "$JDK17/bin/java" ]]; then
    JAVA="$JDK17/bin/java"
    export JAVA_HOME="$JDK17" # also makes mvn build with 17
elif [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    JAVA="$JAVA_HOME/bin/java"
else
    JAVA=java
fi

log() { echo "neo4j.sh: $*" >&2; }

read_pid() {
    [[ -f "$PIDFILE" ]] || return 1
    local pid
    pid="$(tr -dc '0-9' <"$PIDFILE")"
    [[ -n "$pid" ]] || return 1
    echo "$pid"
}

# True if $1 is alive and is our launcher (guards against pid reuse).
is_our_process() {
    local pid="$1"
    kill -0 "$pid" 2>/dev/null || return 1
    [[ -r "/proc/$pid/cmdline" ]] || return 0 # no /proc: trust kill -0
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "$MAIN_CLASS"
}

running_pid() {
    local pid
    pid="$(read_pid)" || return 1
    is_our_process "$pid" || return 1
    echo "$pid"
}

# bolt+s when this server runs (or is to run) with TLS, else bolt.
scheme() {
    if [[ -n "${NEO4J_TLS_DIR:-}" ]] || grep -q "$READY_MARK bolt+s://" "$LOG" 2>/dev/null; then
        echo "bolt+s"
    else
        echo "bolt"
    fi
}

port_open() {
    local port="${1:-$PORT}"
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null
}

# Port the running server was started with: port file, else its READY line, else NEO4J_PORT.
running_port() {
    local p=""
    [[ -f "$PORTFILE" ]] && p="$(tr -dc '0-9' <"$PORTFILE")"
    if [[ -z "$p" && -f "$LOG" ]]; then
        p="$(sed -En "s|^$READY_MARK bolt(\+s)?://127.0.0.1:([0-9]*).*|\2|p" "$LOG" | tail -n 1)"
    fi
    echo "${p:-$PORT}"
}

needs_build() {
    [[ -f "$JAR" ]] || return 0
    [[ -d target/lib ]] || return 0
    [[ -n "$(ls -A target/lib 2>/dev/null)" ]] || return 0
    [[ -n "$(find pom.xml src -newer "$JAR" -type f 2>/dev/null | head -n 1)" ]] && return 0
    return 1
}

do_build() {
    if ! needs_build; then
        return 0
    fi
    if running_pid >/dev/null; then
        log "build needed but the server is running (pid $(read_pid)); run '$0 down' first"
        exit 1
    fi
    if ! command -v mvn >/dev/null 2>&1; then
        log "mvn not found (apt-get install -y maven openjdk-17-jdk-headless)"
        exit 1
    fi
    log "building (mvn -q -B clean package; first run downloads Neo4j from Maven Central) ..."
    local t0=$SECONDS
    # clean: target/lib must not keep jars of an older Neo4j version.
    # (sed: Maven 3.8 prints stray ANSI reset codes even with -q -B.)
    mvn -q -B clean package -DskipTests 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g' >&2
    log "build done in $((SECONDS - t0)) s"
}

stop_pid() {
    local pid="$1"
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + STOP_TIMEOUT))
    while kill -0 "$pid" 2>/dev/null; do
        if ((SECONDS >= deadline)); then
            log "pid $pid still alive after ${STOP_TIMEOUT}s, sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
            sleep 1
            break
        fi
        sleep 0.5
    done
}

fail_start() {
    local pid="$1" why="$2"
    log "$why; last 40 lines of $LOG:"
    tail -n 40 "$LOG" >&2 || true
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        stop_pid "$pid"
    fi
    rm -f "$PIDFILE" "$PORTFILE"
    exit 1
}

wait_ready() {
    local pid="$1" t0="$2"
    local deadline=$((t0 + START_TIMEOUT))
    while true; do
        if grep -Eq "$READY_MARK bolt(\+s)?://127.0.0.1:$PORT\$" "$LOG" 2>/dev/null; then
            echo "neo4j up (pid $pid, $(scheme)://127.0.0.1:$PORT) in $((SECONDS - t0)) s"
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            fail_start "" "server process $pid exited before READY"
        fi
        if ((SECONDS >= deadline)); then
            fail_start "$pid" "no READY within ${START_TIMEOUT}s"
        fi
        sleep 0.5
    done
}

cmd_up() {
    local pid
    if pid="$(running_pid)"; then
        local rport
        rport="$(running_port)"
        if [[ "$rport" != "$PORT" ]]; then
            log "already running on port $rport (pid $pid), not $PORT; run '$0 down' first"
            exit 1
        fi
        if port_open; then
            echo "neo4j already running (pid $pid, $(scheme)://127.0.0.1:$PORT)"
            return 0
        fi
        if grep -q "$READY_MARK" "$LOG" 2>/dev/null; then
            log "pid $pid said READY but port $PORT does not answer (hung?); run '$0 down' first"
            exit 1
        fi
        log "pid $pid is still starting; waiting for READY"
        wait_ready "$pid" "$SECONDS"
        return 0
    fi
    rm -f "$PIDFILE" "$PORTFILE"
    if port_open; then
        log "port $PORT is already in use by another process (not started by this script)"
        exit 1
    fi

    do_build
    mkdir -p "$RUN_DIR" "$DATA_HOME"
    [[ -f "$LOG" ]] && mv -f "$LOG" "$LOG.1"
    : >"$LOG"

    local t0=$SECONDS
    local -a launcher=(
        "$JAVA" "-Xms$HEAP" "-Xmx$HEAP"
        --add-opens=java.base/java.nio=ALL-UNNAMED
        --add-opens=java.base/java.io=ALL-UNNAMED
        --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
        --add-opens=java.base/java.lang=ALL-UNNAMED
        -Dio.netty.tryReflectionSetAccessible=true
        -Djdk.nio.maxCachedBufferSize=1024
        -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError
    )
    if [[ -n "${NEO4J_JAVA_OPTS:-}" ]]; then
        # shellcheck disable=SC2206 # word splitting intended
        launcher+=(${NEO4J_JAVA_OPTS})
    fi
    launcher+=(-cp "$JAR:target/lib/*" "$MAIN_CLASS" "$DATA_HOME" "$PORT")

    # setsid: own session, so a Ctrl-C or a process-group kill of the caller does not hit it.
    # (A non-interactive bash does not make background jobs group leaders, so setsid execs
    # in place and $! is the java pid.)
    if command -v setsid >/dev/null 2>&1; then
        nohup setsid "${launcher[@]}" >>"$LOG" 2>&1 </dev/null &
    else
        nohup "${launcher[@]}" >>"$LOG" 2>&1 </dev/null &
    fi
    pid=$!
    echo "$pid" >"$PIDFILE"
    echo "$PORT" >"$PORTFILE"
    log "started pid $pid (heap $HEAP${NEO4J_TLS_DIR:+, TLS from $NEO4J_TLS_DIR}${NEO4J_TX_MEMORY_MAX:+, transaction memory $NEO4J_TX_MEMORY_MAX}, log $LOG); waiting up to ${START_TIMEOUT}s for READY"
    wait_ready "$pid" "$t0"
}

cmd_down() {
    local pid
    if ! pid="$(running_pid)"; then
        rm -f "$PIDFILE" "$PORTFILE"
        echo "neo4j not running"
        return 0
    fi
    local t0=$SECONDS
    stop_pid "$pid"
    rm -f "$PIDFILE" "$PORTFILE"
    if grep -q "graphmodel-neo4j STOPPED" "$LOG" 2>/dev/null; then
        echo "neo4j stopped cleanly (pid $pid) in $((SECONDS - t0)) s"
    else
        echo "neo4j stopped (pid $pid) in $((SECONDS - t0)) s, no clean-shutdown line in $LOG"
    fi
}

cmd_status() {
    local pid port
    port="$(running_port)"
    if pid="$(running_pid)" && port_open "$port"; then
        echo "running (pid $pid, $(scheme)://127.0.0.1:$port)"
        return 0
    fi
    if [[ -n "${pid:-}" ]]; then
        echo "stopped (pid $pid alive but port $port not open: starting or hung)"
    else
        echo "stopped"
    fi
    return 1
}

case "${1:-}" in
    build) do_build ;;
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    *)
        echo "usage: $0 {build|up|down|status}" >&2
        exit 2
        ;;
esac
