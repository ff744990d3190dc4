# Two entry points, each sets up what it needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

$(BIN)/watchlist: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

.PHONY: demo test test-postgres bench
demo: $(BIN)/watchlist
	$(BIN)/watchlist demo

test: $(BIN)/watchlist
	$(BIN)/ruff check matcher api keys tests bench scripts
	$(BIN)/mypy matcher keys api
	$(BIN)/pytest

# The service tests again on a real PostgreSQL server (started by .ci/postgres.sh; needs root).
test-postgres: $(BIN)/watchlist
	TEST_DATABASE_URL=$$(bash .ci/postgres.sh | tail -1) $(BIN)/pytest tests/api/authority

bench: $(BIN)/watchlist
	$(BIN)/python bench/quality.py --json bench/results/quality.json
