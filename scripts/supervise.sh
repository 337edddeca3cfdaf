#!/usr/bin/env bash
# Keep one long-running process alive, as systemd or Docker's restart policy would:
#
#   scripts/supervise.sh NAME COMMAND [ARGS...]
#
# runs COMMAND and starts it again whenever it exits, for whatever reason (a Celery
# worker that dies on a broker outage, beat killed by the OOM killer), after a pause that
# doubles while it keeps failing quickly (1 s … 30 s) and starts again at 1 s once it
# has run for a minute. A TERM, INT or HUP to this script stops COMMAND — TERM first (a
# Celery warm shutdown finishes the task in hand), KILL after SUPERVISE_STOP_SECONDS
# (default 10) — and then this script, with status 0.
set -uo pipefail

name="${1:?usage: supervise.sh NAME COMMAND [ARGS...]}"
shift
[ "$#" -gt 0 ] || { echo "usage: supervise.sh NAME COMMAND [ARGS...]" >&2; exit 2; }

stop_seconds="${SUPERVISE_STOP_SECONDS:-10}"
child=""
pause=""

say() { printf '[supervise] %s\n' "$*" >&2; }

stop_child() {
    [ -n "$child" ] || return 0
    kill -TERM "$child" 2>/dev/null || return 0
    local waited=0
    while kill -0 "$child" 2>/dev/null && [ "$waited" -lt $((stop_seconds * 10)) ]; do
        sleep 0.1
        waited=$((waited + 1))
    done
    kill -KILL "$child" 2>/dev/null || true
    wait "$child" 2>/dev/null || true
}
trap '[ -z "$pause" ] || kill "$pause" 2>/dev/null; stop_child; exit 0' TERM INT HUP

delay=1
while :; do
    started=$SECONDS
    "$@" &
    child=$!
    wait "$child"
    status=$?
    child=""
    if [ $((SECONDS - started)) -ge 60 ]; then
        delay=1
    fi
    say "$name exited with status $status; starting it again in ${delay} s"
    sleep "$delay" &
    pause=$!
    wait "$pause"
    pause=""
    delay=$((delay * 2 > 30 ? 30 : delay * 2))
done
