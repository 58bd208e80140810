# cplatform — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?=
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the project with its dev tools

system-deps: ## Install Debian packages the tests need (Chromium, PostgreSQL server) when root and missing
	@bash scripts/system-deps

# Translations: our strings live in one catalog, locale/<lang>/LC_MESSAGES/django.po (makemessages
# skips app-level locale/ folders so it never splits or rewrites them). .mo files are build products
# (gitignored), compiled with msgfmt when gettext is installed, else with polib (from wagtail-localize).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po */locale/*/LC_MESSAGES/*.po))
I18N_IGNORE := --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=media --ignore=tests \
	--ignore=bench --ignore=test-artifacts --ignore='*/locale'

%.mo: %.po | $(STAMP)
	@if command -v msgfmt >/dev/null 2>&1; then msgfmt --check-format -o $@ $<; \
	else $(PY) -c 'import polib, sys; polib.pofile(sys.argv[1]).save_as_mofile(sys.argv[2])' $< $@; fi

compilemessages: $(MO_FILES) ## Compile locale/*/LC_MESSAGES/*.po into .mo (run, test and bench do it)

messages: install ## After adding UI strings: extract them into locale/es/…/django.po, then translate and compile
	$(PY) manage.py makemessages -l es $(I18N_IGNORE) --no-obsolete --add-location=file
	$(PY) manage.py compilemessages $(I18N_IGNORE) -v0
	@echo "Fill every empty msgstr in locale/es/LC_MESSAGES/django.po, then run make messages again."

migrate: install ## Apply migrations (SQLite db.sqlite3 unless DATABASE_URL is set)
	$(PY) manage.py migrate --noinput

demo: migrate ## Load the demo data (idempotent)
	$(PY) manage.py load_demo_data

# One command, two processes (Procfile, run by honcho): the web server and the django-q2 worker, which
# sends the queued email (printed here in dev) and runs the schedules (publishing pages at their
# go-live time). Links in email and feeds use SITE_URL, so it follows PORT unless set.
# The demo's queued emails (guardian invitations) are sent by the worker: their links too.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: demo compilemessages ## Install, migrate, load demo data, serve on http://127.0.0.1:$(PORT) and run the task worker
	$(VENV)/bin/honcho start -f Procfile -p $(PORT)

# The suite runs at an instant derived from the commit (scripts/suite-instant, tests/clock.py), printed
# first; TEST_NOW=<instant> replays a run, TEST_NOW=real uses the real clock.
TEST_NOW ?= $(shell scripts/suite-instant)
export TEST_NOW
# The suite runs on TEST_WORKERS pytest-xdist processes, each on its own test database (test_<name>_gw0,
# _gw1 …) and media folder; TEST_WORKERS=0 (or 1) runs it serially in this process. tests/parallel.py
# keeps together what must not run side by side and starts the slowest tests first.
TEST_WORKERS ?= 2
XDIST_ARGS = -n $(if $(filter-out 0 1,$(TEST_WORKERS)),$(TEST_WORKERS),0)

test: install system-deps compilemessages ## Run the whole suite on a throwaway PostgreSQL (or DATABASE_URL), browsers included, on TEST_WORKERS=2 processes
	@set -e; \
	echo "suite clock: TEST_NOW=$${TEST_NOW:-real}"; \
	if [ -z "$$DATABASE_URL" ]; then url="$$(scripts/test-db)" || { echo "$@: stopped: the throwaway PostgreSQL did not start (scripts/test-db says why, above)" >&2; exit 1; }; export DATABASE_URL="$$url"; fi; \
	$(PY) manage.py makemigrations --check --dry-run --settings=cplatform.settings.test >/dev/null; \
	template="$$($(PY) scripts/test-db-template)" || { echo "$@: stopped: the template database did not migrate (above)" >&2; exit 1; }; \
	TEST_DB_TEMPLATE="$$template" $(PY) -m pytest $(if $(CI),--create-db,--reuse-db) $(XDIST_ARGS) -m "not migrations" $(PYTEST_ARGS)

test-migrations: install system-deps compilemessages ## Run the tests that walk the migration history back and forth (~3 min each); not in CI
	@set -e; \
	if [ -z "$$DATABASE_URL" ]; then url="$$(scripts/test-db)" || { echo "$@: stopped: the throwaway PostgreSQL did not start (scripts/test-db says why, above)" >&2; exit 1; }; export DATABASE_URL="$$url"; fi; \
	template="$$($(PY) scripts/test-db-template)" || { echo "$@: stopped: the template database did not migrate (above)" >&2; exit 1; }; \
	TEST_DB_TEMPLATE="$$template" $(PY) -m pytest --reuse-db -m migrations $(PYTEST_ARGS)

test-clock: install system-deps compilemessages ## Run the time-dependent tests at 20 instants (4 hours × the coming day and the DST days; CLOCK_JOBS=2 runs two at once); not in CI
	@set -e; \
	if [ -z "$$DATABASE_URL" ]; then url="$$(scripts/test-db)" || { echo "$@: stopped: the throwaway PostgreSQL did not start (scripts/test-db says why, above)" >&2; exit 1; }; export DATABASE_URL="$$url"; fi; \
	$(PY) scripts/test-clock $(PYTEST_ARGS)

lint: install ## ruff check, format check, and the import layers (import-linter, [tool.importlinter] in pyproject.toml)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: install ## Format and autofix with ruff
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install compilemessages ## Seed PostgreSQL, serve with gunicorn (2 workers), load pages and print req/s, p50/p95
	@set -e; \
	if [ -z "$$DATABASE_URL" ]; then url="$$(scripts/test-db)" || { echo "$@: stopped: the throwaway PostgreSQL did not start (scripts/test-db says why, above)" >&2; exit 1; }; export DATABASE_URL="$${url%/cplatform}/cplatform_bench"; fi; \
	$(PY) bench/run.py

.PHONY: help install system-deps migrate demo run test test-migrations test-clock lint format bench compilemessages messages

# Issue 15: the large seed (50,000 people, 5,000 courses, 500,000 lessons, 2,000,000 messages, 200,000
# payments) in its own database, cplatform_bench_large (dropped and recreated, copied from a migrated
# cplatform_bench_large_template), then the dashboards' bench rows on it. Minutes and gigabytes: never
# in CI. BENCH_LARGE_SCALE=0.01 makes a 1 % seed (the "small seed" of bench/RESULTS-issue15.md).
bench-large: install compilemessages ## Build the large seed with COPY (minutes) and time the dashboards on it; never in CI
	@set -e; \
	if [ -z "$$DATABASE_URL" ]; then url="$$(scripts/test-db)" || { echo "$@: stopped: the throwaway PostgreSQL did not start (scripts/test-db says why, above)" >&2; exit 1; }; export DATABASE_URL="$$url"; fi; \
	$(PY) bench/large_seed.py; \
	DATABASE_URL="$${DATABASE_URL%/*}/$${BENCH_LARGE_DB:-cplatform_bench_large}" $(PY) bench/dashboards.py

.PHONY: bench-large
