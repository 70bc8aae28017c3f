# Two commands do everything from a fresh clone: `make demo` and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup browser demo test lint unit bench docs screenshots clean

setup: $(STAMP) browser

# The web UI's tests drive Debian's Chromium (browser downloads are not possible here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q chromium; \
	  else sudo apt-get update -q && sudo apt-get install -y -q chromium; fi; }

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: setup
	$(BIN)/ratchet demo

lint: setup
	$(BIN)/ruff check src tests benchmarks docs
	$(BIN)/ruff format --check src tests benchmarks docs
	$(BIN)/mypy
	$(BIN)/lint-imports

unit: setup
	$(BIN)/pytest -q

test: lint unit

bench: setup
	$(BIN)/python benchmarks/run.py

docs: setup
	$(BIN)/python docs/gen_cli_reference.py
	$(BIN)/python docs/gen_checks_reference.py

# The web UI's screenshots in docs/images/, over the demo's store, in Debian's Chromium.
screenshots: setup
	$(BIN)/python docs/take_screenshots.py

clean:
	rm -rf $(VENV) .ratchet .pytest_cache .mypy_cache .ruff_cache
