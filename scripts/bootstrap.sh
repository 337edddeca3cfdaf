# shellcheck shell=bash
# Shared set-up steps for scripts/run.sh, scripts/test.sh and the Makefile.
#
# Source it (`. scripts/bootstrap.sh`) to get the functions below, or run it:
#   scripts/bootstrap.sh venv               create .venv and install requirements/dev.lock
#   scripts/bootstrap.sh debs [PKG...]      install missing Debian packages (default: runtime set)
#   scripts/bootstrap.sh services           make sure PostgreSQL and Redis answer on 127.0.0.1
#   scripts/bootstrap.sh uv                 print the path of a uv binary (installed on demand)
#
# Everything is idempotent: a second call finds the work done and returns at once.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$REPO_ROOT/.venv}"
LOCK_FILE="${LOCK_FILE:-$REPO_ROOT/requirements/dev.lock}"

# WeasyPrint's libraries and the certificate fonts (Noto covers Devanagari). Without
# libharfbuzz-subset0 WeasyPrint subsets fonts in pure Python, about 5x slower.
RUNTIME_DEBS=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-dejavu-core)
# Browser tests drive Debian's Chromium: Playwright cannot download its own browser here.
# shellcheck disable=SC2034  # used by scripts/test.sh
TEST_DEBS=("${RUNTIME_DEBS[@]}" chromium)

PG_HOST=127.0.0.1
PG_PORT=5432
REDIS_HOST=127.0.0.1
REDIS_PORT=6379
SERVICE_WAIT_SECONDS="${SERVICE_WAIT_SECONDS:-30}"

# Colour only on a terminal, so CI logs stay plain text.
if [ -t 2 ]; then _BOLD=$'\033[1m' _RED=$'\033[31m' _RESET=$'\033[0m'; else _BOLD="" _RED="" _RESET=""; fi
log() { printf '%s==> %s%s\n' "$_BOLD" "$*" "$_RESET" >&2; }
die() {
    printf '%sERROR: %s%s\n' "$_RED" "$*" "$_RESET" >&2
    exit 1
}

# Run a command as root: directly when we are root, through sudo otherwise.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "'$*' needs root and sudo is not installed; run it as root."
    fi
}

# --- Debian packages ---------------------------------------------------------------------

deb_installed() {
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = "installed" ]
}

ensure_debs() {
    local missing=() pkg
    for pkg in "$@"; do
        deb_installed "$pkg" || missing+=("$pkg")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    command -v apt-get >/dev/null 2>&1 || die "missing Debian packages (${missing[*]}) and no apt-get on this machine."

    log "Installing Debian packages: ${missing[*]}"
    local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -y -q --no-install-recommends install)
    if ! as_root "${apt[@]}" "${missing[@]}"; then
        # A fresh machine has no package lists yet (or stale ones): refresh once, retry.
        log "apt-get install failed; running apt-get update and retrying"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get -q update
        as_root "${apt[@]}" "${missing[@]}" || die "could not install: ${missing[*]}"
    fi
}

# --- Python virtualenv -------------------------------------------------------------------

# The machine's Python 3.11 (the project's only supported version).
find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.11 python3; do
        [ -n "$candidate" ] || continue
        command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    die "Python 3.11 not found (tried \$PYTHON, python3.11, python3). Install it, or set PYTHON=/path/to/python3.11."
}

venv_is_usable() {
    [ -x "$VENV/bin/python" ] &&
        "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null
}

# Create .venv and install the lock file into it. A stamp named after the lock file's
# hash records a finished install, so an unchanged lock costs nothing on the next run.
ensure_venv() {
    local sha stamp python
    sha="$(sha256sum "$LOCK_FILE" | cut -c1-16)"
    stamp="$VENV/.installed-$(basename "$LOCK_FILE" .lock)-$sha"
    if venv_is_usable && [ -f "$stamp" ]; then
        return 0
    fi
    if ! venv_is_usable; then
        python="$(find_python)"
        log "Creating $VENV with $python"
        rm -rf "$VENV"
        "$python" -m venv "$VENV" || die "could not create the virtualenv (is the python3-venv package installed?)"
    fi
    log "Installing ${LOCK_FILE#"$REPO_ROOT"/} into ${VENV#"$REPO_ROOT"/}"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes \
        -r "$REPO_ROOT/requirements/pip.lock" || die "could not install the pinned pip"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes \
        -r "$LOCK_FILE" || die "pip install failed"
    rm -f "$VENV"/.installed-*
    touch "$stamp"
}

# --- PostgreSQL and Redis ----------------------------------------------------------------

postgres_ready() {
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2
    else
        "$VENV/bin/python" - "$PG_HOST" "$PG_PORT" <<'PY' 2>/dev/null
import sys
import psycopg
psycopg.connect(host=sys.argv[1], port=sys.argv[2], user="postgres", dbname="postgres", connect_timeout=2).close()
PY
    fi
}

redis_ready() {
    if command -v redis-cli >/dev/null 2>&1; then
        [ "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]
    else
        "$VENV/bin/python" - "$REDIS_HOST" "$REDIS_PORT" <<'PY' 2>/dev/null
import sys
import redis
redis.Redis(host=sys.argv[1], port=int(sys.argv[2]), socket_connect_timeout=2).ping()
PY
    fi
}

postgres_cluster_version() {
    # The newest installed major version (cluster "main"), as the machine's own start command.
    # shellcheck disable=SC2012
    ls /etc/postgresql 2>/dev/null | sort -V | tail -n1
}

start_postgres() {
    local version
    version="$(postgres_cluster_version)"
    log "Starting PostgreSQL $version"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
}

start_redis() {
    log "Starting Redis"
    as_root mkdir -p /var/lib/redis /var/log/redis
    as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" \
        --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
}

# wait_for NAME CHECK_FUNCTION: poll until it succeeds or SERVICE_WAIT_SECONDS pass.
wait_for() {
    local name="$1" check="$2" waited=0
    until "$check"; do
        if [ "$waited" -ge "$SERVICE_WAIT_SECONDS" ]; then
            return 1
        fi
        sleep 1
        waited=$((waited + 1))
    done
    log "$name is up after ${waited}s"
}

ensure_postgres() {
    postgres_ready && return 0
    log "PostgreSQL is not answering on $PG_HOST:$PG_PORT"
    if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(postgres_cluster_version)" ]; then
        die "PostgreSQL is not reachable on $PG_HOST:$PG_PORT and no server is installed here (no pg_ctlcluster, or no cluster under /etc/postgresql). Install PostgreSQL 15 (apt-get install postgresql) with trust authentication for user postgres on 127.0.0.1, or start yours."
    fi
    start_postgres || log "pg_ctlcluster did not start the cluster; waiting in case it is starting already"
    wait_for PostgreSQL postgres_ready ||
        die "PostgreSQL did not become ready on $PG_HOST:$PG_PORT within ${SERVICE_WAIT_SECONDS}s (see /var/log/postgresql/)."
}

ensure_redis() {
    redis_ready && return 0
    log "Redis is not answering on $REDIS_HOST:$REDIS_PORT"
    command -v redis-server >/dev/null 2>&1 ||
        die "Redis is not reachable on $REDIS_HOST:$REDIS_PORT and redis-server is not installed here. Install it (apt-get install redis-server) or start yours."
    start_redis || log "redis-server did not start; waiting in case it is starting already"
    wait_for Redis redis_ready ||
        die "Redis did not become ready on $REDIS_HOST:$REDIS_PORT within ${SERVICE_WAIT_SECONDS}s (see /var/log/redis/ci.log)."
}

ensure_services() {
    ensure_postgres
    ensure_redis
}

# --- uv (for `make lock`) ----------------------------------------------------------------

# Print the path of a uv binary: the one on PATH, or one installed into a cache venv.
ensure_uv() {
    local tools="${XDG_CACHE_HOME:-$HOME/.cache}/pain-academy-lms/uv-venv"
    if command -v uv >/dev/null 2>&1; then
        command -v uv
        return 0
    fi
    if [ ! -x "$tools/bin/uv" ]; then
        log "Installing uv into $tools"
        "$(find_python)" -m venv "$tools" >&2 || die "could not create $tools"
        "$tools/bin/python" -m pip install --quiet --disable-pip-version-check uv >&2 || die "could not install uv"
    fi
    echo "$tools/bin/uv"
}

# --- Command-line entry point ------------------------------------------------------------

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    case "${1:-}" in
        venv) ensure_venv ;;
        debs)
            shift
            if [ "$#" -eq 0 ]; then ensure_debs "${RUNTIME_DEBS[@]}"; else ensure_debs "$@"; fi
            ;;
        services) ensure_services ;;
        uv) ensure_uv ;;
        *)
            echo "usage: $0 {venv|debs [PKG...]|services|uv}" >&2
            exit 2
            ;;
    esac
fi
