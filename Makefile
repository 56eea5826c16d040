# Kartu Sehat: two commands.
#   make run   set up everything and run the portal with demo data on 127.0.0.1:8000
#   make test  run the whole test suite
#   make lint  the static checks CI runs first: ruff, the import layering, migrations in step with the models
#   make city  a whole synthetic city in PostgreSQL (CITY_DB, CITY_HOUSEHOLDS), for the benchmarks
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: run test lint setup migrate demo messages clean city

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

# A new database holding the full city (README, "Performance"): 730,000 households
# in about ten minutes. PostgreSQL on 127.0.0.1, user postgres, as in CI.
CITY_DB ?= kartusehat_city
CITY_HOUSEHOLDS ?= 730000
CITY_URL := postgres://postgres@127.0.0.1:5432/$(CITY_DB)
city: setup
	psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$(CITY_DB)'" | grep -q 1 \
	  || createdb -h 127.0.0.1 -U postgres $(CITY_DB)
	DATABASE_URL=$(CITY_URL) $(PY) manage.py migrate --noinput
	DATABASE_URL=$(CITY_URL) $(PY) manage.py load_city --households $(CITY_HOUSEHOLDS)

# Refresh the Bahasa Indonesia catalogue after changing user-facing text.
messages: setup
	$(PY) manage.py makemessages --locale id --no-obsolete --add-location file --ignore '.venv/*' --ignore 'tests/*'
	$(PY) manage.py compilemessages --locale id --ignore '.venv/*'

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-results
