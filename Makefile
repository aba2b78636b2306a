# evallib: the two commands a new user needs are `make demo` and `make test`.
# Both create the virtual environment in .venv on first use (Python 3.11+).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA ?= data/raw/example
REPORTS ?= reports

# Python's own default: each process reads evallib's and the tests' modules from __pycache__
# (git ignores it). Container images often set PYTHONDONTWRITEBYTECODE, and then every report
# kernel, test worker and pool worker compiles evallib from source again (0.45 s a process)
# and pytest rewrites every test module's asserts again (1-2 s a worker).
unexport PYTHONDONTWRITEBYTECODE

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

# The second programme's reports go into a folder of their own, linked from nowhere else:
# Haaglanden 2013's index stays at reports/index.html.
DATA_2024 ?= data/raw/example-onderwijsregio-2024
PROGRAMME_2024 := programmes/onderwijsregio-haaglanden-2024.yaml

demo: $(STAMP) ## Build all reports of both example programmes (sets up first if needed)
	$(BIN)/evallib run --data $(DATA) --reports $(REPORTS)
	$(BIN)/evallib run --programme $(PROGRAMME_2024) --data $(DATA_2024) --reports $(REPORTS)/onderwijsregio-haaglanden-2024

test: $(STAMP) ## Run the test suite (sets up first if needed)
	$(BIN)/python -m pytest

lint: $(STAMP) ## Check formatting and lint with ruff, and the package's layers with import-linter
	$(BIN)/ruff format --check src tests $(wildcard benchmarks)
	$(BIN)/ruff check src tests $(wildcard benchmarks)
	$(BIN)/lint-imports

format: $(STAMP) ## Format the code with ruff
	$(BIN)/ruff format src tests $(wildcard benchmarks)
	$(BIN)/ruff check --fix src tests $(wildcard benchmarks)

example: $(STAMP) ## Regenerate the committed synthetic example data of both programmes
	rm -rf data/raw/example $(DATA_2024)
	$(BIN)/evallib synth --out data/raw/example --seed 2013
	$(BIN)/evallib synth --programme $(PROGRAMME_2024) --out $(DATA_2024) --seed 2024

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
