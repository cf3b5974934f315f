# Choice and Control. `make run` to try it, `make test` to check it. `make help` lists the rest.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON311 ?= $(shell command -v python3.11 || command -v python3)
ifeq ($(PYTHON311),)
$(error Python 3.11 is needed: install python3.11 (with venv) and try again)
endif
ifeq ($(shell command -v npm),)
$(error npm is needed for the front-end packages: apt-get install nodejs npm)
endif
CACHE_DIR ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/choice-and-control
# The portal's environment is built once per set of pinned requirements and reused by every clone.
PORTAL_REQS := requirements.lock requirements-dev.lock
# Keyed by the interpreter too: a venv is only reusable by the Python that built it.
PORTAL_HASH := $(shell (cat $(PORTAL_REQS); "$(PYTHON311)" -c 'import sys; print(sys.version, sys.executable)') | sha256sum | cut -c1-16)
PORTAL_VENV := $(CACHE_DIR)/venv-portal-$(PORTAL_HASH)
VENV := .venv
PY := $(VENV)/bin/python
FLASK := PORTAL_ENV=development $(PY) -m flask --app portal.app
NODE_STAMP := node_modules/.installed
CSS := portal/static/app.css
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))
PG_TEST_DB ?= choice_and_control_test

.PHONY: help run test lint format typecheck translations browser-deps assets venv clean bench

help: ## List the make targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

# ---- environments -------------------------------------------------------------------------------
$(PORTAL_VENV)/.complete: | $(PORTAL_REQS)
	@echo "Building the portal's Python environment in $(PORTAL_VENV) (once per set of pinned requirements)"
	rm -rf "$(PORTAL_VENV)"
	"$(PYTHON311)" -m venv "$(PORTAL_VENV)"
	"$(PORTAL_VENV)/bin/pip" install --quiet --disable-pip-version-check -r requirements.lock -r requirements-dev.lock
	touch "$@"  # written last: a half-built environment is never taken for a finished one

$(VENV)/.linked: $(PORTAL_VENV)/.complete
	ln -sfn "$(PORTAL_VENV)" $(VENV)
	touch "$(PORTAL_VENV)/.linked"

venv: $(VENV)/.linked ## Create or reuse the portal's virtual environment

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch "$@"

$(CSS): $(NODE_STAMP) $(wildcard portal/assets/*.scss)
	node node_modules/sass/sass.js --pkg-importer=node --style=compressed --no-source-map --quiet-deps \
		portal/assets/app.scss $(CSS)

portal/static/vendor/.copied: $(NODE_STAMP)
	mkdir -p portal/static/vendor
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js portal/static/vendor/
	cp node_modules/htmx.org/dist/htmx.min.js portal/static/vendor/
	touch "$@"

assets: $(CSS) portal/static/vendor/.copied ## Build the stylesheet and copy pinned front-end files

%.mo: %.po | $(VENV)/.linked
	$(VENV)/bin/pybabel compile --statistics -i $< -o $@

compiled-translations: venv $(CATALOGUES)

translations: venv ## Extract strings, update every catalogue, compile
	PYTHONPATH=. $(VENV)/bin/pybabel extract -F babel.cfg -k _l -o translations/messages.pot --no-location --sort-output --omit-header portal content
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching
	$(VENV)/bin/pybabel compile -d translations --statistics

browser-deps: ## Install Debian's Chromium for the browser tests (needs root or sudo)
	@if [ ! -x /usr/bin/chromium ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi
	@/usr/bin/chromium --version 2>/dev/null | grep -q Chromium || (echo "Chromium is missing: apt-get install chromium" && exit 1)

# ---- the two commands ---------------------------------------------------------------------------
run: venv assets compiled-translations ## Set up everything and start the portal on http://127.0.0.1:5000
	mkdir -p instance
	$(FLASK) migrate
	$(FLASK) demo-data
	$(FLASK) directory import content/directory/services.json
	@echo
	@echo "  Choice and Control is at http://127.0.0.1:5000"
	@echo "  Demo sign-ins (password above): demo.person@example.org, demo.carer@example.org, demo.jamie@example.org,"
	@echo "  demo.staff@example.org, demo.admin@example.org. Emails land in http://127.0.0.1:5000/dev/outbox"
	@echo
	PORTAL_ENV=development $(VENV)/bin/gunicorn --bind 127.0.0.1:5000 --workers 2 --access-logfile - "portal.app:create_app()"

test: venv assets compiled-translations browser-deps lint typecheck ## Run every test (unit, web, browser)
	@if [ -z "$$TEST_DATABASE_URL" ] && pg_isready -q -h 127.0.0.1 2>/dev/null && \
		{ psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$(PG_TEST_DB)'" 2>/dev/null | grep -q 1 || \
			createdb -h 127.0.0.1 -U postgres $(PG_TEST_DB) 2>/dev/null; }; then \
		export TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/$(PG_TEST_DB); \
	fi; \
	[ -n "$$TEST_DATABASE_URL" ] && echo "Also testing against PostgreSQL: $$TEST_DATABASE_URL"; \
	PORTAL_ENV=test $(PY) -m pytest $(PYTEST_ARGS)

lint: venv ## ruff, ruff format --check and the import contracts
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: venv ## Fix what ruff can
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

typecheck: venv ## mypy on the pure domain
	$(VENV)/bin/mypy

bench: venv assets compiled-translations ## Performance benchmarks, printed as a table
	PORTAL_ENV=test $(PY) bench/run.py

clean: ## Remove built files (the cached environments stay)
	rm -rf $(VENV) instance/*.sqlite3 node_modules portal/static/vendor $(CSS) translations/*/LC_MESSAGES/*.mo
