# Everything runs inside .venv at the repository root; targets create it when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TORCH_WHEEL_SPEC := torch==2.13.0

.PHONY: install run test lint typecheck pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	# torch first, pinned to the local CPU build, so sentence-transformers does not pull CUDA.
	$(BIN)/pip install --quiet "$(TORCH_WHEEL_SPEC)"
	$(BIN)/pip install --quiet -e ".[dev,st,words]"
	# chiVe word vectors for the matching word bridge: only the wheel's data files are read
	# (spaCy is never imported), and ja-ginza's SudachiPy pin would downgrade ours.
	$(BIN)/pip install --quiet --no-deps "ja-ginza==5.3.0"
	touch $(STAMP)

install: $(STAMP)

## Start the service on the embedded default (SQLite under var/, demo catalog on first run).
run: $(STAMP)
	$(BIN)/tsunagu serve --demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q

## Install everything and run the whole suite: lint, types, tests.
test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python -m matching bench --resources 1000,10000,100000
	$(BIN)/python scripts/bench_catalog_import.py --resources 100000

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
