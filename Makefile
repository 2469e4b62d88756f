# The README's two commands. Each creates .venv on first use and reinstalls only when
# pyproject.toml or constraints.txt changed, so a second run starts at once.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP_FLAGS := --disable-pip-version-check --quiet

.PHONY: run test lint typecheck bench bundle check-python clean

run: $(VENV)/.installed-app
	$(BIN)/followthrough

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

# Issue 7's figures at 10k and 100k customers, written to bench/results.md. The data sets
# are generated on first use (about a minute for 100k) and kept in bench/.data for the day.
bench: $(VENV)/.installed-app
	$(BIN)/python -m bench.run --size all

# The one-folder app (build.spec) in dist/followthrough: dist/followthrough/followthrough
# runs on a machine without Python or the venv. About a minute; build/ holds the work files.
bundle: $(VENV)/.installed-bundle
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN build.spec

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Followthrough needs Python 3.11 or newer; found " + sys.version.split()[0])'

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip $(PIP_FLAGS) install --upgrade pip

$(VENV)/.installed-app: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip $(PIP_FLAGS) install -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip $(PIP_FLAGS) install -c constraints.txt -e '.[test]'
	touch $@ $(VENV)/.installed-app

$(VENV)/.installed-bundle: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip $(PIP_FLAGS) install -c constraints.txt -e '.[bundle]'
	touch $@ $(VENV)/.installed-app

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis build dist
