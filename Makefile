# Two commands for a new machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run test bench lint format messages serve-production clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# The pdf check stops with the Debian packages to install when WeasyPrint's system
# libraries (Pango, HarfBuzz, fontconfig) are missing, before anything else fails on them.
run: $(VENV)/.installed
	$(BIN)/python manage.py check --tag pdf --fail-level WARNING
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	$(BIN)/python manage.py runserver $(HOST)

test: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed
	$(BIN)/python -m bench $(BENCH_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Recompile the committed translation catalogues after editing locale/*/LC_MESSAGES/django.po
# (needs GNU gettext; a fresh checkout does not, the .mo files are committed).
messages: $(VENV)/.installed
	$(BIN)/python manage.py makemessages -l sv -l en -l fi --no-obsolete --ignore=.venv
	$(BIN)/python manage.py compilemessages --ignore=.venv

serve-production: $(VENV)/.installed
	DJANGO_ENV=production $(BIN)/python manage.py collectstatic --noinput
	DJANGO_ENV=production $(BIN)/python manage.py migrate --noinput
	DJANGO_ENV=production $(BIN)/gunicorn kierratys.wsgi --bind $(HOST) --workers 3

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
