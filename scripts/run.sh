#!/usr/bin/env bash
# `make run`: install what is missing, migrate the embedded SQLite database, load the demo
# content and serve http://127.0.0.1:8000.
#
# Celery tasks run in-process (eager) unless REDIS_URL is set; then a real worker and beat
# (the periodic tasks) run beside the web server, are restarted if they exit, and stop with it.
set -euo pipefail

# shellcheck source=scripts/bootstrap.sh
. "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
cd "$REPO_ROOT"

ensure_debs "${RUNTIME_DEBS[@]}"
ensure_venv

export DJANGO_SETTINGS_MODULE=lms.settings.dev
export PYTHONUNBUFFERED=1
PY="$VENV/bin/python"

PORT="${LMS_RUN_PORT:-8000}"
# Certificates, their QR codes and e-mails print the site's address; it must be the one
# this server answers on (the worker below renders them too, so it is exported first).
export LMS_BASE_URL="${LMS_BASE_URL:-http://127.0.0.1:$PORT}"

log "Migrating the development database (db.sqlite3)"
"$PY" manage.py migrate --noinput
log "Loading the demo content"
"$PY" manage.py seed_demo

# The web server, the worker and beat run as children of this script, which waits for
# them: a signal to the script (Ctrl-C, a timeout, a closed terminal) then stops them all,
# instead of leaving a worker or a server behind. The worker and beat run under
# scripts/supervise.sh, which starts either again if it exits (a broker outage, a crash):
# no certificate waits for someone to notice.
server_pid=""
worker_pid=""
beat_pid=""
# shellcheck disable=SC2329  # called from cleanup
stop() {
    local name="$1" pid="$2"
    [ -n "$pid" ] || return 0
    if kill -0 "$pid" 2>/dev/null; then
        log "Stopping $name"
        kill -TERM "$pid" 2>/dev/null || true
        # A warm shutdown finishes the task in hand (the supervisor gives it 10 s and
        # then kills it); don't wait for ever.
        for _ in $(seq 1 30); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.5
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}
# shellcheck disable=SC2329  # called from the EXIT trap
cleanup() {
    stop "the web server" "$server_pid"
    stop "Celery beat" "$beat_pid"
    stop "the Celery worker" "$worker_pid"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

if [ -n "${REDIS_URL:-}" ]; then
    "$PY" - <<'PY' || die "REDIS_URL is set ($REDIS_URL) but Redis does not answer there. Start Redis, or unset REDIS_URL to run tasks in-process."
import os
import redis
redis.Redis.from_url(os.environ["REDIS_URL"], socket_connect_timeout=2).ping()
PY
    log "REDIS_URL is set: starting a Celery worker and Celery beat beside the web server (restarted if they exit)"
    SUPERVISE_STOP_SECONDS=10 bash scripts/supervise.sh "the Celery worker" \
        "$VENV/bin/celery" -A lms worker --loglevel INFO --concurrency 2 -O fair \
        > >(sed -u 's/^/[celery] /') 2>&1 &
    worker_pid=$!
    # Beat's schedule file is per-machine state; keep it out of the work tree.
    bash scripts/supervise.sh "Celery beat" \
        "$VENV/bin/celery" -A lms beat --loglevel INFO \
        --schedule "${TMPDIR:-/tmp}/lms-celerybeat-schedule" \
        > >(sed -u 's/^/[beat] /') 2>&1 &
    beat_pid=$!
else
    log "REDIS_URL is not set: Celery tasks run in-process"
fi

log "Serving http://127.0.0.1:$PORT (Ctrl-C to stop); links in certificates and e-mails use $LMS_BASE_URL"
# <&0 keeps the terminal as the server's standard input (for breakpoint()).
"$PY" manage.py runserver "127.0.0.1:$PORT" <&0 &
server_pid=$!
set +e
wait "$server_pid"
status=$?
set -e
server_pid=""
exit "$status"
