# Two commands for a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
FLASK := $(VENV)/bin/flask --app webshop
STAMP := $(VENV)/.installed
INSTANCE ?= $(or $(WEBSHOP_INSTANCE_DIR),instance)

.PHONY: run test test-image test-api install migrate seed translations lint clean secret-key

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[dev]'
	touch $(STAMP)

# Compiled translations (.mo) are build output; the .po files are the source.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard webshop/translations/*/LC_MESSAGES/messages.po))
%.mo: %.po $(STAMP)
	$(VENV)/bin/pybabel -q compile -i $< -o $@

install: $(STAMP) $(MO_FILES)

## Re-extract UI strings and merge them into the translation catalogues.
translations: $(STAMP)
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -o webshop/translations/messages.pot .
	$(VENV)/bin/pybabel -q update -i webshop/translations/messages.pot -d webshop/translations

## A random SECRET_KEY for this checkout, created once in instance/ (git-ignored; never committed).
## Production sets SECRET_KEY in the environment instead; the app refuses to start without one.
secret-key: $(INSTANCE)/secret_key
$(INSTANCE)/secret_key:
	mkdir -p $(INSTANCE)
	umask 077 && python3 -c 'import secrets; print(secrets.token_hex(32))' > $@.tmp && mv $@.tmp $@

migrate: install secret-key
	$(FLASK) db upgrade heads

seed: migrate
	$(FLASK) seed demo
	$(FLASK) lab demo

## Start the app on SQLite with the demo data at http://127.0.0.1:5000
run: seed
	$(FLASK) worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	SESSION_COOKIE_SECURE=0 $(FLASK) run --host 127.0.0.1 --port 5000

## The whole suite: SQLite always, PostgreSQL too when TEST_DATABASE_URL points at one.
test: install
	@bash scripts/test.sh

## ruff, the import contracts and mypy (files and strictness in pyproject.toml): all must be clean.
## The production image's build steps (scripts/build-image.sh) in a fresh venv, then gunicorn: CI runs it.
test-image: install
	env -u TEST_DATABASE_URL $(PY) -m pytest -m image tests/integration/test_build_image.py

## schemathesis against gunicorn on the test database (PostgreSQL when TEST_DATABASE_URL is set): every
## operation of /api/v1/openapi.json, every check, 40 examples each (about 20 s). CI runs it.
test-api: install
	$(PY) -m pytest -m fuzz tests/integration/test_openapi_fuzz.py

lint: install
	$(VENV)/bin/ruff check webshop ehf seed tests bench
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) instance/webshop.sqlite instance/outbox
