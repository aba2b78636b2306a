# evallib: the two commands a new user needs are `make demo` and `make test`.
# Both create the virtual environment in .venv on first use (Python 3.11+).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA ?= data/raw/example
REPORTS ?= reports

.DEFAULT_GOAL := help
.PHONY: help setup demo test lint format lock example clean

help: ## Show the available commands
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements/constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "evallib needs Python 3.11 or newer; $(PYTHON) is " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt pip
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e ".[dev]"
	@touch $@

setup: $(STAMP) ## Create .venv and install evallib with pinned dependencies

demo: $(STAMP) ## Build all reports from the synthetic example data (sets up first if needed)
	$(BIN)/evallib run --data $(DATA) --reports $(REPORTS)

test: $(STAMP) ## Run the test suite (sets up first if needed)
	$(BIN)/python -m pytest

lint: $(STAMP) ## Check formatting and lint with ruff, and the package's layers with import-linter
	$(BIN)/ruff format --check src tests $(wildcard benchmarks)
	$(BIN)/ruff check src tests $(wildcard benchmarks)
	$(BIN)/lint-imports

format: $(STAMP) ## Format the code with ruff
	$(BIN)/ruff format src tests $(wildcard benchmarks)
	$(BIN)/ruff check --fix src tests $(wildcard benchmarks)

example: $(STAMP) ## Regenerate the committed synthetic example data (seed 2013)
	rm -rf data/raw/example
	$(BIN)/evallib synth --out data/raw/example --seed 2013

lock: ## Re-resolve and pin every dependency (then update environment.yml to match)
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade pip
	.venv-lock/bin/python -m pip install --quiet -e ".[dev]"
	{ echo "# Full lock of evallib's environment (every package, exact versions), made with"; \
	  echo "#   make lock   (pip freeze of a fresh venv on Python 3.11)"; \
	  echo "# Used as: pip install -c requirements/constraints.txt -e '.[dev]'"; \
	  .venv-lock/bin/python -m pip freeze --all --exclude-editable | grep -v '^evallib'; } > requirements/constraints.txt
	rm -rf .venv-lock

clean: ## Remove derived data and reports (never touches data/raw)
	rm -rf data/processed/* reports/* .pytest_cache
	touch data/processed/.gitkeep reports/.gitkeep
