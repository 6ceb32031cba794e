# The two commands of the README: `make demo` and `make test`. Only Python 3.11+ is needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install lock demo test lint format messages clean

# The exact versions and files that are installed, with their hashes (README, "Dependencies").
# dev.lock: everything, for development and CI; prod.lock: what the image runs (with S3 and
# Redis), held to dev.lock's versions so production runs what CI tested.
DEV_LOCK := requirements/dev.lock
PROD_LOCK := requirements/prod.lock
# Resolved for Python 3.11 on Linux (CI and the image) from PyPI, whoever runs it and wherever.
# Extra arguments go to both runs: LOCK_ARGS=--upgrade, LOCK_ARGS="--upgrade-package weasyprint".
LOCK_ARGS ?=
LOCK_COMPILE := $(BIN)/uv pip compile pyproject.toml --quiet --generate-hashes \
	--python-version 3.11 --python-platform linux --custom-compile-command "make lock" $(LOCK_ARGS)

install: $(VENV)/.installed

# A fresh environment each time the lock or pyproject changes, so nothing that a lock dropped
# stays behind; the project itself is installed editable and unhashed, without dependencies.
$(VENV)/.installed: pyproject.toml $(DEV_LOCK)
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r $(DEV_LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# Keeps the pins that still satisfy pyproject.toml unless LOCK_ARGS asks for upgrades; run
# `make install` afterwards to install the new lock.
lock: install
	$(LOCK_COMPILE) --extra dev -o $(DEV_LOCK)
	$(LOCK_COMPILE) --extra s3 --extra redis -c $(DEV_LOCK) -o $(PROD_LOCK)

# DEBUG is off, as in production (README, Configuration): visitors get the site's own
# Vietnamese error pages. The static files are collected and served by WhiteNoise, as in production;
# `DEBUG=true make demo` shows Django's debug pages instead.
demo: install
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py collectstatic --noinput -v 0
	$(BIN)/python manage.py setup_demo
	@echo "Serving on http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/); Ctrl-C stops it."
	@trap 'kill 0' INT TERM EXIT; \
	$(BIN)/python manage.py task_worker & \
	$(BIN)/python manage.py runserver --nostatic $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	$(BIN)/python manage.py makemessages -l vi --ignore=.venv --ignore=tests --ignore=bench
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) .pytest_cache .test-media
