# One entry point for everything. `make install` is idempotent: it rebuilds the venv only
# when pyproject.toml is newer than the last install stamp.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test check codegen codegen-check fmt bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[server,cli]" --group dev --group compat
	touch $(STAMP)

demo: install
	$(BIN)/agentstream demo

test: install
	$(BIN)/python -m pytest -q

check: install codegen-check
	$(BIN)/ruff format --check src tests bench codegen examples
	$(BIN)/ruff check src tests bench codegen examples
	$(BIN)/mypy

codegen: install
	$(BIN)/python -m codegen

codegen-check: install
	$(BIN)/python -m codegen --check

fmt: install
	$(BIN)/ruff format src tests bench codegen examples
	$(BIN)/ruff check --fix src tests bench codegen examples

bench: install
	$(BIN)/python -c "import httpx_sse, anthropic, openai, sseclient, requests_sse, ld_eventsource, aiohttp_sse_client, pyinstrument, m8tes" 2>/dev/null \
		|| $(BIN)/python -m pip install --quiet --disable-pip-version-check --ignore-requires-python --group bench
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
