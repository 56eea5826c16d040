# Kartu Sehat: two commands.
#   make run   set up everything and run the portal with demo data on 127.0.0.1:8000
#   make test  run the whole test suite
#   make lint  the static checks CI runs first: ruff, the import layering, migrations in step with the models
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: run test lint setup migrate demo messages clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

migrate: setup
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Kartu Sehat: http://127.0.0.1:$(PORT)/  (staff: http://127.0.0.1:$(PORT)/admin/)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

# Refresh the Bahasa Indonesia catalogue after changing user-facing text.
messages: setup
	$(PY) manage.py makemessages --locale id --no-obsolete --add-location file --ignore '.venv/*' --ignore 'tests/*'
	$(PY) manage.py compilemessages --locale id --ignore '.venv/*'

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-results
