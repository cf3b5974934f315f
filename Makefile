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
CSS_RTL := portal/static/app.rtl.css
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))
PG_TEST_DB ?= choice_and_control_test

# The assistant: Rasa 3.6 needs Python 3.10, in its own environment (it pins SQLAlchemy 1.4, the portal uses 2).
PYTHON310 ?= $(or $(shell python3.10 -c 'import sys; print(sys.executable)' 2>/dev/null),$(shell ls -d $$(pyenv root 2>/dev/null)/versions/3.10*/bin/python3.10 2>/dev/null | tail -n 1))
BOT_REQS := bot/requirements.lock
BOT_HASH := $(shell (cat $(BOT_REQS); "$(PYTHON310)" -c 'import sys; print(sys.version, sys.executable)' 2>/dev/null) | sha256sum | cut -c1-16)
BOT_VENV := $(CACHE_DIR)/venv-bot-$(BOT_HASH)
RASA := $(BOT_VENV)/bin/rasa
# Offline and quiet: no telemetry, no TensorFlow chatter, no SQLAlchemy 2.0 notices from inside Rasa.
BOT_ENV := RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1 PYTHONWARNINGS=ignore
MODELS := $(CACHE_DIR)/models

.PHONY: help run test lint format typecheck translations browser-deps assets venv clean bench bot-venv bot-model

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

$(BOT_VENV)/.complete: | $(BOT_REQS)
	@test -n "$(PYTHON310)" || { echo "The assistant needs Python 3.10 (Rasa 3.6): install it, e.g. pyenv install 3.10"; exit 1; }
	@echo "Building the assistant's Python environment in $(BOT_VENV) (once per set of pinned requirements)"
	rm -rf "$(BOT_VENV)"
	"$(PYTHON310)" -m venv "$(BOT_VENV)"
	"$(BOT_VENV)/bin/pip" install --quiet --disable-pip-version-check -r $(BOT_REQS)
	touch "$@"

bot-venv: $(BOT_VENV)/.complete ## Create or reuse the assistant's environment (Python 3.10, Rasa 3.6)

# The model is named by a hash of everything it is learnt from, and kept in the cache, so training happens only
# when the bot's data or the content it is generated from (the glossary, the help topics) changed.
bot-model: bot-venv ## Generate the assistant's data from content/ and train it if that data changed
	@$(BOT_VENV)/bin/python bot/generate.py
	@mkdir -p $(MODELS) bot/models
	@hash=$$(cat bot/config.yml $$(find bot/domain bot/data -type f -name '*.yml' | sort) | sha256sum | cut -c1-16); \
	if [ ! -f "$(MODELS)/bot-$$hash.tar.gz" ]; then \
		echo "Training the assistant (about 3 minutes; only when its data has changed)"; \
		cd bot && $(BOT_ENV) $(RASA) train --domain domain --data data --config config.yml \
			--out "$(MODELS)" --fixed-model-name "bot-$$hash" > "$(MODELS)/train-$$hash.log" 2>&1 \
			|| { tail -n 30 "$(MODELS)/train-$$hash.log"; exit 1; }; cd ..; \
	fi; \
	ln -sfn "$(MODELS)/bot-$$hash.tar.gz" bot/models/current.tar.gz

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

# Right-to-left languages (Urdu) get the same stylesheet mirrored by rtlcss: GOV.UK Frontend is written left to right.
$(CSS_RTL): $(CSS)
	node node_modules/rtlcss/bin/rtlcss.js --silent $(CSS) $(CSS_RTL)

assets: $(CSS) $(CSS_RTL) portal/static/vendor/.copied ## Build the stylesheets and copy pinned front-end files

%.mo: %.po | $(VENV)/.linked
	$(VENV)/bin/pybabel compile --statistics -i $< -o $@

compiled-translations: venv $(CATALOGUES)

translations: venv ## Extract strings, update every catalogue, compile
	PYTHONPATH=. $(VENV)/bin/pybabel extract -F babel.cfg -k _l -o translations/messages.pot --no-location --sort-output --omit-header portal content
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching
	$(VENV)/bin/pybabel compile -d translations --statistics

# Noto's core fonts: the browser tests draw Urdu (and the screenshot in test-artefacts/ shows letters, not boxes).
browser-deps: ## Install Debian's Chromium and Noto fonts for the browser tests (needs root or sudo)
	@if [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/truetype/noto ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver fonts-noto-core >/dev/null; \
	fi
	@/usr/bin/chromium --version 2>/dev/null | grep -q Chromium || (echo "Chromium is missing: apt-get install chromium" && exit 1)

# ---- the two commands ---------------------------------------------------------------------------
run: venv assets compiled-translations bot-model ## Set up everything; start the portal on http://127.0.0.1:5000 with the assistant
	mkdir -p instance
	$(FLASK) migrate
	$(FLASK) demo-data
	$(FLASK) directory import content/directory/services.json
	@echo
	@echo "  Choice and Control is at http://127.0.0.1:5000"
	@echo "  Demo sign-ins (password above): demo.person@example.org, demo.carer@example.org, demo.jamie@example.org,"
	@echo "  demo.staff@example.org, demo.admin@example.org. Emails land in http://127.0.0.1:5000/dev/outbox"
	@echo
	@# The assistant and its action server start with the portal, and stop with it (Ctrl-C stops all three).
	trap 'kill 0' EXIT INT TERM; \
	cd bot && SANIC_HOST=127.0.0.1 PORTAL_INTERNAL_URL=http://127.0.0.1:5000 $(BOT_ENV) \
		$(RASA) run actions --actions actions -p 5055 > ../instance/actions.log 2>&1 & \
	cd bot && ACTION_ENDPOINT_URL=http://127.0.0.1:5055/webhook RASA_TRACKER_DB=$(CURDIR)/instance/assistant.sqlite3 $(BOT_ENV) \
		$(RASA) run -m models/current.tar.gz -i 127.0.0.1 -p 5005 --credentials credentials.yml --endpoints endpoints.yml \
		> ../instance/assistant.log 2>&1 & \
	PORTAL_ENV=development $(VENV)/bin/gunicorn --bind 127.0.0.1:5000 --workers 2 --access-logfile - "portal.app:create_app()"

test: venv assets compiled-translations browser-deps lint typecheck bot-model ## Run every test (unit, web, browser, bot)
	@if [ -z "$$TEST_DATABASE_URL" ] && pg_isready -q -h 127.0.0.1 2>/dev/null && \
		{ psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$(PG_TEST_DB)'" 2>/dev/null | grep -q 1 || \
			createdb -h 127.0.0.1 -U postgres $(PG_TEST_DB) 2>/dev/null; }; then \
		export TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/$(PG_TEST_DB); \
	fi; \
	[ -n "$$TEST_DATABASE_URL" ] && echo "Also testing against PostgreSQL: $$TEST_DATABASE_URL"; \
	BOT_VENV=$(BOT_VENV) PORTAL_ENV=test $(PY) -m pytest $(PYTEST_ARGS)

lint: venv ## ruff, ruff format --check and the import contracts
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: venv ## Fix what ruff can
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

typecheck: venv ## mypy on the pure domain
	$(VENV)/bin/mypy

# Lighthouse is the benchmark's alone: its own package.json, so `make test` never installs it.
bench/node_modules/.installed: bench/package.json bench/package-lock.json
	npm ci --prefix bench --no-audit --no-fund --ignore-scripts --loglevel=error
	touch "$@"

bench: venv assets compiled-translations bot-model browser-deps bench/node_modules/.installed ## Load, page weight, Lighthouse and chat, as one table in bench/results/latest.md (DATABASE_URL: PostgreSQL)
	@command -v wrk >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; }
	BOT_VENV=$(BOT_VENV) PORTAL_ENV=test $(PY) bench/run.py

clean: ## Remove built files (the cached environments stay)
	rm -rf $(VENV) instance/*.sqlite3 node_modules portal/static/vendor $(CSS) $(CSS_RTL) translations/*/LC_MESSAGES/*.mo
