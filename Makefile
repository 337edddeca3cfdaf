# Pain Academy LMS. The README names two targets: `make run` and `make test`.
# The set-up steps they share (Debian packages, the virtualenv, PostgreSQL and Redis)
# live in scripts/bootstrap.sh.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
BOOTSTRAP := bash scripts/bootstrap.sh

# Extra arguments for pytest, e.g. make test PYTEST_ARGS='-k enrolment -x'
PYTEST_ARGS ?=
# Extra arguments for uv pip compile, e.g. make lock LOCK_ARGS=--upgrade
LOCK_ARGS ?=
export PYTEST_ARGS LOCK_ARGS

.PHONY: help run test lint format migrations-check bench lock venv

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

run: ## Install, migrate SQLite, load demo content, serve http://127.0.0.1:8000
	@bash scripts/run.sh

test: ## The whole suite on PostgreSQL, Redis, a Celery worker and headless Chromium
	@bash scripts/test.sh

venv: ## Create .venv from requirements/dev.lock (skipped when up to date)
	@$(BOOTSTRAP) venv

lint: venv ## ruff check, ruff format --check, and the import contracts (lint-imports)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: venv ## Apply ruff's import sorting and formatting
	$(VENV)/bin/ruff check --select I --fix .
	$(VENV)/bin/ruff format .

migrations-check: venv ## Fail if a model change has no migration
	DJANGO_SETTINGS_MODULE=lms.settings.dev $(PY) manage.py makemigrations --check --dry-run

bench: venv ## Run every bench/*.py (they print figures; PostgreSQL and Redis needed)
	@$(BOOTSTRAP) services
	@shopt -s nullglob; scripts=(bench/[!_]*.py); \
	if [ $${#scripts[@]} -eq 0 ]; then echo "No benchmarks in bench/."; exit 0; fi; \
	for script in "$${scripts[@]}"; do \
		echo "==> $$script"; \
		PYTHONPATH="$(CURDIR)" $(PY) "$$script"; \
	done

lock: ## Regenerate requirements/base.lock and requirements/dev.lock with uv
	@uv="$$($(BOOTSTRAP) uv)"; \
	set -x; \
	"$$uv" pip compile --quiet --python-version 3.11 --generate-hashes $(LOCK_ARGS) requirements/base.in -o requirements/base.lock; \
	"$$uv" pip compile --quiet --python-version 3.11 --generate-hashes $(LOCK_ARGS) requirements/dev.in -o requirements/dev.lock
