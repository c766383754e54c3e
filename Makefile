# One command to run, one to test. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: run test setup system-deps lint check messages bench backup restore clean

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(STAMP)

setup: $(STAMP)

# Debian's Chromium for the browser tests; never `playwright install` (no downloads here).
system-deps:
	@if ! command -v chromium >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
		else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; fi; \
	fi

messages: $(STAMP)
	$(BIN)/python manage.py compilemessages --ignore=.venv -v0

run: $(STAMP) messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py setup_schedules
	mkdir -p var/celery-queue var/celery-processed
	@echo "Serving http://127.0.0.1:$(PORT)/ (admin at /admin/); Ctrl-C stops the web, worker and beat."
	trap 'kill 0' EXIT INT TERM; \
	$(BIN)/celery -A casetracker worker --loglevel=INFO --concurrency=2 & \
	$(BIN)/celery -A casetracker beat --loglevel=INFO & \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT) --noreload

test: $(STAMP) system-deps messages
	$(BIN)/python manage.py check
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf var db.sqlite3 test-artifacts
