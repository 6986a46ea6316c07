# Two commands for a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
FLASK := $(VENV)/bin/flask --app webshop
STAMP := $(VENV)/.installed

.PHONY: run test install migrate seed worker-free test-sqlite test-postgres lint bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[dev]'
	$(VENV)/bin/pybabel compile -d webshop/translations -f -q || true
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(FLASK) db upgrade heads

seed: migrate
	$(FLASK) seed demo

## Start the app on SQLite with the demo data at http://127.0.0.1:5000
run: seed
	$(FLASK) run --host 127.0.0.1 --port 5000

## The whole suite: SQLite always, PostgreSQL too when TEST_DATABASE_URL points at one.
test: install
	@bash scripts/test.sh

lint: install
	$(VENV)/bin/ruff check webshop ehf seed tests bench
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) instance/webshop.sqlite instance/outbox
