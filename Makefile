# Two commands: `make run` and `make test`. Both set up everything they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-long setup test-setup graphviz lint bench clean

run: setup
	$(BIN)/conceptmap

test: test-setup
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports
	$(BIN)/pytest -q

# The long runs of docs/reliability.md: 10,000 fuzzed inputs per strategy, 200 killed saves,
# 100 racing rounds, hostile XML.
test-long: test-setup
	CONCEPTMAP_FUZZ_EXAMPLES=10000 $(BIN)/pytest -q tests/test_fuzz_loader.py tests/test_fuzz_importers.py
	$(BIN)/python scripts/reliability.py crash --saves 200
	$(BIN)/python scripts/reliability.py race --rounds 100
	$(BIN)/python scripts/reliability.py hostile-xml

setup: $(STAMP) graphviz

test-setup: $(STAMP)
	@sh scripts/install-system-deps.sh --test

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "conceptmap needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	@touch $(STAMP)

# Graphviz (`dot`) for drawing; `test-setup` adds what the tests drive (rsvg-convert, tmux,
# Chromium and its driver).
graphviz:
	@sh scripts/install-system-deps.sh

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports

bench: setup
	$(BIN)/python bench/bench_model.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
