# Two commands do all set-up on a fresh machine:  make run  and  make test
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
SECRET_FILE := $(VENV)/dev-secret-key
NODE_STAMP := node_modules/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Extra pytest options, e.g.  make test PYTEST_ARGS='-m "not browser"'
PYTEST_ARGS ?=

.PHONY: run dev editor reviewer unlock superuser serve-prod serve-tier test lint format check setup clean bench bench-smoke lighthouse

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(STAMP)

# Test-only tools from npm (axe-core, vnu-jar); their install scripts would fetch from the net.
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

$(SECRET_FILE): | $(PY)
	$(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

## setup: install, migrate, load the starting content, collect static files
setup: $(STAMP) $(SECRET_FILE)
	DJANGO_SECRET_KEY="$$(cat $(SECRET_FILE))" $(PY) manage.py migrate --noinput
	DJANGO_SECRET_KEY="$$(cat $(SECRET_FILE))" $(PY) manage.py load_content
	DJANGO_SECRET_KEY="$$(cat $(SECRET_FILE))" $(PY) manage.py rebuild_search_index
	DJANGO_SECRET_KEY="$$(cat $(SECRET_FILE))" $(PY) manage.py collectstatic --noinput --verbosity 0

## run: serve the site with gunicorn on http://127.0.0.1:8000 (with the scheduler beside it:
## scheduled drafts go live and expired items are dealt with within 30 seconds)
run: setup
	@echo ""
	@echo "  The site is at http://$(HOST):$(PORT)/"
	@echo "  To log in to the admin (http://$(HOST):$(PORT)/admin/), first create a login in another terminal:"
	@echo "    make superuser"
	@echo "  or, for an editor who changes content only:"
	@echo "    make editor NAME=username EMAIL=address"
	@echo ""
	DJANGO_SECRET_KEY="$$(cat $(SECRET_FILE))" $(VENV)/bin/gunicorn -c pomsite/gunicorn.conf.py \
		pomsite.wsgi --bind $(HOST):$(PORT) --workers 2

## dev: development mode on http://$(HOST):$(PORT): DEBUG on, reloads on every code or template
## change, no page cache (so an edit shows at once). Another port: make dev PORT=8001
dev: setup
	DJANGO_DEBUG=true DJANGO_PAGE_CACHE_SECONDS=0 DJANGO_SECRET_KEY="$$(cat $(SECRET_FILE))" \
		$(PY) manage.py runserver $(HOST):$(PORT)

## editor: a login for an editor, who changes content only: make editor NAME=ana EMAIL=ana@example.org
editor: setup
	@test -n "$(NAME)" -a -n "$(EMAIL)" || { echo "Usage: make editor NAME=username EMAIL=address"; exit 2; }
	DJANGO_SECRET_KEY="$$(cat $(SECRET_FILE))" $(PY) manage.py create_editor "$(NAME)" "$(EMAIL)"

## reviewer: a login for a medical reviewer, who approves changes: make reviewer NAME=raj EMAIL=raj@example.org
reviewer: setup
	@test -n "$(NAME)" -a -n "$(EMAIL)" || { echo "Usage: make reviewer NAME=username EMAIL=address"; exit 2; }
	DJANGO_SECRET_KEY="$$(cat $(SECRET_FILE))" $(PY) manage.py create_editor "$(NAME)" "$(EMAIL)" --reviewer

## unlock: lift the pause after too many wrong passwords for a login: make unlock NAME=ana
unlock: $(STAMP) $(SECRET_FILE)
	@test -n "$(NAME)" || { echo "Usage: make unlock NAME=username"; exit 2; }
	DJANGO_SECRET_KEY="$$(cat $(SECRET_FILE))" $(PY) manage.py axes_reset_username "$(NAME)"

## superuser: a login that can do everything, including managing other logins
superuser: setup
	DJANGO_SECRET_KEY="$$(cat $(SECRET_FILE))" $(PY) manage.py createsuperuser

## serve-prod: the production set-up on this machine: DEBUG off, gunicorn with its config file
## (pomsite/gunicorn.conf.py). DATABASE_URL, CACHE_URL and the other settings come from the
## environment as in production (.env.example); without them, SQLite and a local-memory cache.
serve-prod: setup
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat $(SECRET_FILE))}" DJANGO_DEBUG=false \
		$(VENV)/bin/gunicorn -c pomsite/gunicorn.conf.py --bind $(HOST):$(PORT) pomsite.wsgi

## serve-tier: production as it runs on a server: nginx (deploy/nginx/pomsite.conf) on
## http://127.0.0.1:8080 in front of gunicorn on 127.0.0.1:8000; installs Debian's nginx and its
## Brotli module with apt-get when they are missing (deploy/tier.py, docs/deployment.md).
serve-tier: setup
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat $(SECRET_FILE))}" DJANGO_DEBUG=false \
		$(PY) -m deploy.tier --listen-port 8080 --upstream-port $(PORT)

## test: install and run the whole suite, one worker per CPU (a test file stays on one worker, so
## the servers a file starts once are started once)
test: $(DEV_STAMP) $(NODE_STAMP)
	$(PY) -m pytest -n auto --dist loadfile $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(DEV_STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## check: Django's system checks and a missing-migrations check
check: $(DEV_STAMP)
	DJANGO_SETTINGS_MODULE=pomsite.settings_test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=pomsite.settings_test $(PY) manage.py makemigrations --check --dry-run

## bench: load-test every public page with wrk (about 17 minutes on 2 CPUs), then the production
## tier: gunicorn alone and behind nginx, bytes on the wire, and the chaos run (about 9 minutes);
## see docs/performance.md
bench: $(STAMP)
	$(PY) -m bench.run
	$(PY) -m bench.tier

## lighthouse: Lighthouse 12 (mobile) on four pages with Debian's Chromium (CHROME_PATH to change it)
lighthouse: $(STAMP) $(NODE_STAMP)
	$(PY) -m bench.lighthouse

## bench-smoke: the same benchmarks, short, for CI (about a minute and a half)
bench-smoke: $(STAMP)
	$(PY) -m bench.run --smoke
	$(PY) -m bench.tier --smoke

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 .pytest_cache .ruff_cache
