# Guildhall: `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
DEV := DJANGO_SETTINGS_MODULE=cms.settings.dev
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install frontend run serve serve-stop bench-front-cache demo test test-fast lint format check bench bench-booking bench-forms bench-cases bench-integrations crew-receiver bench-reports bench-personalisation bench-search bench-crm load a11y clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

frontend/static/frontend/css/main.css: frontend/node_modules/.installed $(shell find frontend/static_src -type f 2>/dev/null)
	cd frontend && npm run build

install: $(VENV)/.installed frontend/static/frontend/css/main.css ## Create .venv, install Python and npm packages, build the front end

frontend: frontend/node_modules/.installed ## Rebuild the front end (CSS, JS, vendor files)
	cd frontend && npm run build

db.sqlite3: $(VENV)/.installed
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py load_demo

demo: install ## Migrate and (re)build the demo council content
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py load_demo

run: install db.sqlite3 ## Run the site with demo content at http://127.0.0.1:8000 (SQLite, inline tasks)
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py runserver $(HOST):$(PORT)

serve: install ## Production-shaped stack on http://127.0.0.1:8140: nginx front cache, gunicorn, Celery worker and beat (PostgreSQL + Redis); Ctrl-C stops it
	$(PY) cms/deploy/serve.py start

serve-stop: ## Stop everything `make serve` started
	$(PY) cms/deploy/serve.py stop

test: install ## Run the whole test suite (PostgreSQL/Redis/Chromium when configured; see README)
	$(VENV)/bin/pytest

test-fast: install ## Run the tests without the browser suite
	$(VENV)/bin/pytest -m "not browser"

a11y: install db.sqlite3 ## Accessibility audit of the demo (report in var/a11y/report.html)
	$(DEV) $(PY) manage.py a11y_audit --output var/a11y

lint: $(VENV)/.installed ## ruff and djhtml checks
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check $$(git ls-files '*.html')

format: $(VENV)/.installed ## Format Python and templates
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djhtml $$(git ls-files '*.html')

check: $(VENV)/.installed ## Django system checks, deploy checks and migrations check
	$(DEV) $(PY) manage.py check
	$(DEV) $(PY) manage.py makemigrations --check --dry-run
	# A dummy deployment with no back offices of its own: it says so by name (a real
	# one sets EMAIL_URL, CLAMD_URL and the back-office URLs instead; see README).
	SECRET_KEY=check-only-$$(date +%s)-a-long-random-looking-value-for-the-deploy-check ALLOWED_HOSTS=www.example.gov.uk \
	  ALLOW_CONSOLE_EMAIL=True ALLOW_DEMO_PROVIDERS=address_lookup,council_tax,waste,clamav,payments,concessions,notify \
	  DJANGO_SETTINGS_MODULE=cms.settings.production $(PY) manage.py check --deploy --fail-level WARNING

# Every benchmark runs even when an earlier one fails; the target fails if any did.
BENCHES := myaccount_bench personalisation_bench search_bench cases_bench front_cache_bench booking_bench integrations_bench form_builder_bench
bench: install ## Every benchmark (pages, My Account, personalisation, search, cases, front cache, bookings); fails if a target fails (BENCH_ARGS=--no-fail to explore)
	@failed=""; \
	$(PY) tests/benchmarks/run.py $(BENCH_ARGS) || failed="$$failed run"; \
	for b in $(BENCHES); do \
	  $(PY) tests/benchmarks/$$b.py $(filter --quick --no-fail,$(BENCH_ARGS)) || failed="$$failed $$b"; \
	done; \
	if [ -n "$$failed" ]; then echo "Benchmarks that failed:$$failed"; exit 1; fi; \
	echo "Every benchmark met its targets."

bench-front-cache: install ## nginx front cache vs a bare Django view, publish -> fresh, app stopped (needs DATABASE_URL, REDIS_URL)
	$(PY) tests/benchmarks/front_cache_bench.py $(BENCH_ARGS)

bench-booking: install ## Booking step with 50 concurrent residents, month slot search, last-place race x100 (PostgreSQL)
	$(PY) tests/benchmarks/booking_bench.py $(filter --quick --no-fail,$(BENCH_ARGS))

bench-forms: install ## Form builder: a step of a 30-question branching form (queries; throughput vs the bare view, in process and gunicorn + wrk), 10,000 journeys in progress (rows)
	$(PY) tests/benchmarks/form_builder_bench.py $(filter --quick --no-fail,$(BENCH_ARGS))

bench-integrations: install ## 10,000 cases in a burst drained to a webhook receiver (time, queue depth); case API reads p99 at c16 (PostgreSQL, Redis, Celery, wrk)
	$(PY) tests/benchmarks/integrations_bench.py $(filter --quick --no-fail,$(BENCH_ARGS))

crew-receiver: ## The demo waste crew system: missed-bin webhooks become crew jobs (after make demo)
	$(DEV) $(PY) manage.py crew_receiver

bench-cases: install ## Cases at 100,000 (case list, case page, submit, dashboard; gunicorn + wrk)
	$(PY) tests/benchmarks/cases_bench.py $(BENCH_ARGS)

bench-reports: install ## Reports at 200,000 cases over 3 years (roll-up, year's report; --cases 2000000)
	$(PY) tests/benchmarks/reports_bench.py $(BENCH_ARGS)

bench-personalisation: install ## Personalised pages against unpersonalised ones (gunicorn + wrk)
	$(PY) tests/benchmarks/personalisation_bench.py $(BENCH_ARGS)

bench-crm: install ## Contact centre: search and the person page at 1M contacts, 2M cases, 5M interactions (PostgreSQL; --quick 100k)
	$(PY) tests/benchmarks/crm_bench.py $(BENCH_ARGS)

bench-search: install ## Search at 10,000 pages: a mix of 20 queries (gunicorn + wrk)
	$(PY) tests/benchmarks/search_bench.py $(BENCH_ARGS)

load: install ## Load test: 500 residents browsing and searching and 50 completing journeys for 5 minutes through the serve stack (needs REDIS_URL; LOAD_ARGS="--users 100 --minutes 1")
	test -x .venv-load/bin/locust || { $(PYTHON) -m venv .venv-load && .venv-load/bin/pip install --quiet -r tests/load/requirements.txt; }
	$(PY) tests/load/run.py $(LOAD_ARGS)

clean: ## Remove the virtualenv, built assets and the SQLite database
	rm -rf $(VENV) .venv-load frontend/node_modules frontend/static/frontend/css frontend/static/frontend/js frontend/static/frontend/vendor db.sqlite3
