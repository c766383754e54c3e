# One command to run, one to test. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
PYTEST_ARGS ?=
BACKUP_DIR ?= var/backups

# command:package pairs installed from Debian when the command is missing (a path instead of a command: the file).
# Never `playwright install`: the browser tests use Debian's Chromium (no downloads here).
# Documents' text: Tesseract with English and Russian, poppler to rasterise scanned PDF pages, and the
# DejaVu font the demo (and the tests) render a scanned page with.
TESSDATA := /usr/share/tesseract-ocr/5/tessdata
RUN_DEPS := msgfmt:gettext tesseract:tesseract-ocr $(TESSDATA)/eng.traineddata:tesseract-ocr-eng \
	$(TESSDATA)/rus.traineddata:tesseract-ocr-rus pdftoppm:poppler-utils \
	/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:fonts-dejavu-core
TEST_DEPS := $(RUN_DEPS) chromium:chromium wrk:wrk pg_dump:postgresql-client
define apt_need
	@missing=""; for pair in $(1); do command -v "$${pair%%:*}" >/dev/null || [ -e "$${pair%%:*}" ] || missing="$$missing $${pair#*:}"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

.PHONY: run test setup run-deps system-deps lint messages bench backup restore clean

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(STAMP)

setup: $(STAMP)

run-deps:
	$(call apt_need,$(RUN_DEPS))

system-deps:
	$(call apt_need,$(TEST_DEPS))

messages: $(STAMP) run-deps
	$(BIN)/python manage.py compilemessages --ignore=.venv -v0

# SQLite and a folder-based Celery broker unless DATABASE_URL / CELERY_BROKER_URL are set.
# The trap stops the worker and beat when the web server stops (Ctrl-C).
run: $(STAMP) messages
	mkdir -p var/celery-queue var/celery-processed var/media
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py setup_schedules
	@echo "Serving http://127.0.0.1:$(PORT)/ (admin at /admin/); Ctrl-C stops the web, worker and beat."
	trap 'kill $$(jobs -p) 2>/dev/null; wait' EXIT; \
	$(BIN)/celery -A casetracker worker --loglevel=INFO --concurrency=2 & \
	$(BIN)/celery -A casetracker beat --loglevel=INFO & \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT) --noreload

# pytest exits 5 when it collects nothing: say so loudly rather than pass on an empty suite.
test: $(STAMP) system-deps messages
	$(BIN)/python manage.py check
	@rc=0; $(BIN)/pytest $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc = 5 ]; then echo "pytest collected no tests: the test suite is missing" >&2; fi; \
	exit $$rc

lint: $(STAMP)
	$(BIN)/ruff check .

# Benchmarks need PostgreSQL and Redis; each builds its own databases (see docs/benchmarks.md).
bench: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/casetracker_bench
bench: export CELERY_BROKER_URL ?= redis://127.0.0.1:6379/13
bench: $(STAMP) system-deps
	$(BIN)/python -m bench $(BENCH)

# Database (pg_dump, or SQLite's online backup) plus a media tarball; see docs/operations.md.
backup: $(STAMP)
	$(BIN)/python manage.py backup --output $(BACKUP_DIR)

restore: $(STAMP)
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=$(BACKUP_DIR)/<folder>" >&2; exit 2; }
	$(BIN)/python manage.py restore "$(BACKUP)" --yes

clean:
	rm -rf var db.sqlite3 test-artifacts
