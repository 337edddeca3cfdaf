#!/usr/bin/env bash
# `make test`: install what is missing (Debian's Chromium included), make sure PostgreSQL
# and Redis answer on 127.0.0.1 (starting them if they are installed but down), then run
# the whole suite with pytest (configuration in pyproject.toml).
#
# Extra pytest arguments: `make test PYTEST_ARGS='-k enrolment -x'` or
# `scripts/test.sh -k enrolment -x`.
set -euo pipefail

# shellcheck source=scripts/bootstrap.sh
. "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
cd "$REPO_ROOT"

ensure_debs "${TEST_DEBS[@]}"
ensure_venv
ensure_services

# The suite runs on the services checked above, with the settings named in pyproject.toml.
# A shell left set up for `make run` (DJANGO_SETTINGS_MODULE, REDIS_URL=.../0) must not
# point pytest at the development database or at the developer's Redis data instead.
unset DJANGO_SETTINGS_MODULE DATABASE_URL REDIS_URL

# PYTEST_ARGS is split the way a shell would split it, so quoted expressions such as
# -k "enrolment and not race" survive the trip through make.
extra_args=()
eval "extra_args=(${PYTEST_ARGS:-})"

# Two pytest-xdist workers (the CI machine has two cores), each with its own test database,
# Redis database and media root (lms/settings/test.py). --dist loadfile keeps a test
# module on one worker: its module-scoped fixtures (seeded demo content, one `make run`)
# are set up once. Arguments given after these win: PYTEST_ARGS='-n 0' runs serially.
log "Running the test suite"
exec "$VENV/bin/python" -m pytest -n 2 --dist loadfile "${extra_args[@]}" "$@"
