# Event flow designer — the two commands are `make run` and `make test`.
SHELL := /bin/bash
PORT ?= 8000
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_UPDATED := .venv/.apt-updated
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
REDIS_TEST_URL ?= redis://127.0.0.1:6379/5

.PHONY: run test setup test-setup graphviz chromium toolchains migrate demo test-embedded test-production lint-self clean

## run: set everything up (idempotent) and serve the designer on the embedded default.
run: setup migrate demo
	@echo ""
	@echo "  Event flow designer: http://127.0.0.1:$(PORT)/"
	@echo "  Demo login: demo / demo   (team: Demo shop)"
	@echo ""
	exec $(VENV)/bin/uvicorn designer.asgi:application --host 127.0.0.1 --port $(PORT) --log-level warning

setup: $(VENV)/.installed graphviz

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --disable-pip-version-check -q -r requirements.txt
	@# The naming rules' snapshot of lemminflect's dictionary (written on first use otherwise).
	-@$(PY) -c "from designer.core import lexicon; lexicon.ensure_snapshot()"
	@touch $@

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --noinput -v 0

demo: $(VENV)/.installed
	$(PY) manage.py seed_demo

# The graphviz system package provides `dot`; install it when missing.
graphviz:
	@if ! command -v dot >/dev/null 2>&1; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing graphviz (for diagrams)…"; \
	    $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; \
	  else \
	    echo "Diagrams need Graphviz's 'dot': install the 'graphviz' package with your system's package manager."; exit 1; \
	  fi; \
	fi

## test: install what the tests need, then run the whole suite (embedded, then production mode).
test: setup test-setup test-embedded test-production

test-setup: $(VENV)/.test-installed chromium toolchains

$(VENV)/.test-installed: requirements-test.txt $(VENV)/.installed
	$(PIP) install --disable-pip-version-check -q -r requirements-test.txt
	@touch $@

# Browser tests drive Debian's chromium (test tools may not download browsers here).
chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  echo "Installing Debian chromium for browser tests…"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

# Toolchains that check generated code and exported documents.
toolchains:
	@if ! command -v go >/dev/null 2>&1; then \
	  echo "Installing Go (golang-go) to check generated Go code…"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go >/dev/null; \
	fi
	@if [ ! -d /usr/share/gocode/src/github.com/lib/pq ]; then \
	  echo "Installing the Go PostgreSQL driver (golang-github-lib-pq-dev) for generated Go code's SQL test…"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-github-lib-pq-dev >/dev/null; \
	fi
	@if ! command -v javac >/dev/null 2>&1; then \
	  echo "Installing a JDK to check generated Java code…"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jdk-headless >/dev/null; \
	fi
	@if [ ! -f /usr/share/java/jackson-databind.jar ] || [ ! -f /usr/share/java/postgresql.jar ]; then \
	  echo "Installing Jackson and the PostgreSQL JDBC driver to check generated Java code…"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libjackson2-databind-java libpostgresql-jdbc-java >/dev/null; \
	fi
	@if ! command -v npm >/dev/null 2>&1; then \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	fi
	@if [ ! -f .tools/node_modules/.installed ] || [ tools/package.json -nt .tools/node_modules/.installed ]; then \
	  echo "Installing TypeScript, the AsyncAPI CLI and axe-core into .tools/ (npm, about a minute)…"; \
	  mkdir -p .tools && cp tools/package.json tools/package-lock.json .tools/ && \
	  (cd .tools && npm ci --no-audit --no-fund --loglevel=error) && touch .tools/node_modules/.installed; \
	fi

test-embedded:
	$(PY) -m pytest -q

# The integration and security tests again, against the real PostgreSQL and Redis on 127.0.0.1.
test-production:
	@if $(PY) tests/services_up.py "$(PG_URL)" "$(REDIS_TEST_URL)"; then \
	  export DATABASE_URL="$(PG_URL)" REDIS_URL="$(REDIS_TEST_URL)" DEBUG=0 SECURE_SSL_REDIRECT=0 \
	    SECRET_KEY="test-only-secret-key-for-production-mode-0123456789abcdef" \
	    ALLOWED_HOSTS=127.0.0.1,localhost,testserver; \
	  echo "production mode: PostgreSQL $(PG_URL), Redis $(REDIS_TEST_URL)"; \
	  env -u SECURE_SSL_REDIRECT $(PY) manage.py check --deploy --fail-level WARNING && \
	  $(PY) manage.py collectstatic --noinput -v 0 && \
	  $(PY) -m pytest -q tests/integration tests/security -p no:cacheprovider; \
	elif [ -n "$$CI" ]; then \
	  echo "production-mode tests: PostgreSQL/Redis on 127.0.0.1 are required on CI"; exit 1; \
	else \
	  echo "SKIPPED production-mode integration tests: PostgreSQL or Redis is not running on 127.0.0.1 (see above)"; \
	fi

clean:
	rm -rf $(VENV) .tools staticfiles db.sqlite3
