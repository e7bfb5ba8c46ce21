# Two commands: `make run` and `make test`. Both set up everything they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-long setup graphviz lint bench clean

run: setup
	$(BIN)/conceptmap

test: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports
	$(BIN)/pytest -q

test-long: setup
	$(BIN)/pytest -q -m slow --run-slow

setup: $(STAMP) graphviz

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "conceptmap needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	@touch $(STAMP)

# Graphviz (`dot`), rsvg-convert (looking at exported SVGs) and tmux (end-to-end TUI test).
graphviz:
	@sh scripts/install-system-deps.sh

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports

bench: setup
	$(BIN)/python bench/bench_model.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
