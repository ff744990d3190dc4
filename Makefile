# Two entry points, each sets up what it needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

$(BIN)/watchlist: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

.PHONY: demo test lint bench
demo: $(BIN)/watchlist
	$(BIN)/watchlist screen

test: $(BIN)/watchlist
	$(BIN)/ruff check matcher api keys tests bench scripts
	$(BIN)/mypy matcher keys api
	$(BIN)/pytest

bench: $(BIN)/watchlist
	$(BIN)/python bench/quality.py --json bench/results/quality.json
