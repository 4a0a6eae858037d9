# Campaign Desk: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
CAMPAIGNDESK_DATA_DIR ?= $(CURDIR)/var
export CAMPAIGNDESK_DATA_DIR

# Local demo server: debug pages off (Chinese error pages), plain HTTP, demo accounts, the
# secret key of var/secret_key.
# `make install` writes them to var/local.env, which the `campaigndesk` command also reads
# when SECRET_KEY is not set (campaigndesk/localenv.py). Production sets its own (README).
LOCAL_ENV := $(CAMPAIGNDESK_DATA_DIR)/local.env
RUN_ENV = set -a && . "$(LOCAL_ENV)" && set +a &&

.PHONY: install run test test-sqlite test-postgres lint proofing-eval bench bench-load-pg clean

$(VENV)/.installed: requirements.txt pyproject.toml scripts/install-proofing-deps.sh
	bash scripts/install-proofing-deps.sh
	@test -x $(BIN)/python || bash scripts/ensure-venv.sh $(PYTHON)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	$(BIN)/python -m pip install -q --no-deps -e .
	@# Build the proofreading lexicon cache now (a few seconds) rather than on the first brief.
	$(BIN)/python -c "from campaigndesk.proofing import warm_up; warm_up()"
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@

$(LOCAL_ENV): $(VENV)/.installed campaigndesk/localenv.py
	@$(BIN)/python -m campaigndesk.localenv write "$(CAMPAIGNDESK_DATA_DIR)"

install: $(VENV)/.installed $(LOCAL_ENV)
	@bash scripts/install-run-deps.sh
	@$(RUN_ENV) $(BIN)/campaigndesk migrate --no-input -v 0
	@$(RUN_ENV) $(BIN)/campaigndesk load_demo

run: install
	@echo ""
	@echo "Campaign Desk: http://127.0.0.1:$(PORT)/  (Ctrl+C 停止，后台任务进程随之停止)"
	@$(RUN_ENV) bash scripts/run-with-worker.sh $(BIN) $(PORT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

PG_SKIP_FILE := $(CAMPAIGNDESK_DATA_DIR)/.pg-skipped
PYTEST = $(BIN)/pytest -q -rs -n 2

# The whole suite, once on SQLite and once on PostgreSQL (a throwaway local server).
test:
	bash scripts/install-run-deps.sh
	bash scripts/install-proofing-deps.sh
	bash scripts/install-test-deps.sh
	$(MAKE) --no-print-directory $(VENV)/.installed-dev
	mkdir -p $(CAMPAIGNDESK_DATA_DIR) && rm -f $(PG_SKIP_FILE)
	$(MAKE) --no-print-directory lint
	bash scripts/pip-audit.sh
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres
	@if [ -f $(PG_SKIP_FILE) ]; then cat $(PG_SKIP_FILE); else echo "PostgreSQL leg: ran"; fi

test-sqlite: $(VENV)/.installed-dev
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL $(PYTEST)

# The browser tests (a real Chromium driving the pages) and the proofreader (plain Python, no
# database) say nothing new about the database: they run once, on SQLite, which keeps the
# whole `make test` under CI's 30 minutes. Everything that touches the database runs on both.
PG_ONLY_ONCE = --ignore=tests/browser --ignore=tests/proofing

test-postgres: $(VENV)/.installed-dev
	@echo "== test suite on PostgreSQL (browser and proofreading tests: SQLite leg only) =="
	PG_SKIP_FILE=$(PG_SKIP_FILE) bash scripts/with-postgres.sh $(PYTEST) $(PG_ONLY_ONCE)

proofing-eval: $(VENV)/.installed
	$(BIN)/python -m campaigndesk.proofing.evaluate

bench: $(VENV)/.installed-dev
	@for script in bench/*.py; do echo "== $$script =="; $(BIN)/python $$script || exit 1; done

bench-load-pg: $(VENV)/.installed-dev
	bash scripts/with-postgres.sh $(BIN)/python bench/load_deadline.py

clean:
	rm -rf $(VENV) build *.egg-info
