# Nightingale: `make run` sets up and starts everything; `make test` sets up and runs every check.
# Both reuse what is already built: the virtual environment is rebuilt only when requirements.lock
# changes, the model only when config.yml, domain.yml or data/ change.
SHELL := /bin/bash
.DEFAULT_GOAL := run
VENV := .venv
BIN := $(VENV)/bin
MODEL := models/nightingale.tar.gz
TRAINING_DATA := config.yml domain.yml $(shell find data -name '*.yml' 2>/dev/null)
# Rasa 3.6 runs on Python 3.10 only: an explicit PYTHON310, else pyenv's newest 3.10, else python3.10 on PATH.
PYTHON310 ?= $(shell ls -d $$HOME/.pyenv/versions/3.10.*/bin/python3.10 2>/dev/null | sort -V | tail -n 1 || true)
ifeq ($(PYTHON310),)
PYTHON310 := $(shell command -v python3.10 2>/dev/null)
endif

.PHONY: run test lint setup python310 browser nlu-report bench clean

run: setup $(MODEL)
	$(BIN)/nightingale up

test: setup lint $(MODEL) browser
	$(BIN)/rasa data validate --domain domain.yml --data data --config config.yml --fail-on-warnings
	$(BIN)/rasa test core --model $(MODEL) --stories tests/conversations --fail-on-prediction-errors --out var/rasa-test
	$(BIN)/python -m pytest

setup: $(VENV)/.installed node_modules/.installed

# Style and types; configured in pyproject.toml.
lint: setup
	$(BIN)/ruff check bot actions tests benchmarks
	$(BIN)/mypy

python310:
	@if [ -z "$(PYTHON310)" ] || ! "$(PYTHON310)" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then \
	  echo "Nightingale needs Python 3.10 (Rasa 3.6 refuses 3.11 and newer) and found none."; \
	  echo "Install one (e.g. 'pyenv install 3.10' or 'apt-get install python3.10 python3.10-venv'),"; \
	  echo "or point to it: make PYTHON310=/path/to/python3.10 $(MAKECMDGOALS)"; \
	  exit 1; fi

$(VENV)/.installed: requirements.lock pyproject.toml | python310
	[ -x $(BIN)/python ] || "$(PYTHON310)" -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(MODEL): $(TRAINING_DATA) | $(VENV)/.installed
	$(BIN)/rasa train --domain domain.yml --data data --config config.yml --out models --fixed-model-name nightingale

# Debian's chromium for the browser tests; Playwright never downloads a browser of its own.
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "The browser tests need Debian's chromium: sudo apt-get install chromium"; exit 1; fi; }

nlu-report: setup
	$(BIN)/python -m benchmarks.nlu_report

bench: setup $(MODEL)
	$(BIN)/python -m benchmarks.run_all

clean:
	rm -rf $(VENV) models var/rasa-test node_modules
