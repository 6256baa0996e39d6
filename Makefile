# One entry point for everything. `make install` is idempotent: it rebuilds the venv only
# when pyproject.toml is newer than the last install stamp.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test check fmt bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[server,cli]" --group dev
	touch $(STAMP)

demo: install
	$(BIN)/python examples/resume_demo.py

test: install
	$(BIN)/python -m pytest -q

check: install
	$(BIN)/ruff format --check src tests bench codegen
	$(BIN)/ruff check src tests bench codegen
	$(BIN)/mypy

fmt: install
	$(BIN)/ruff format src tests bench codegen
	$(BIN)/ruff check --fix src tests bench codegen

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
