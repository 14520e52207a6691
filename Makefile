# Two commands a new user needs: `make demo` and `make test`. Both build .venv first.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: demo test faults bench serve check clean

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: install Python 3.11 or run 'make PYTHON=python3 …'"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

demo: $(VENV)/.installed
	$(PY) -m sandbox demo

# Lint, types (mypy --strict on bot, commands, integrations, models), the import contract (four layers,
# one way; no sandbox in shipped code), then every test.
test: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -n 2

# Fault scenarios at full size (Katana down 5 min during 100 actions, 10,000 webhooks, …): ~10 min.
faults: $(VENV)/.installed
	$(PY) -m sandbox faults

# Speed against baselines measured in the same run (ack vs bare Bolt, webhooks, Katana budget, sync,
# slip reading): prints one table and writes bench/results.md. ~5–10 min on 2 cores.
bench: $(VENV)/.installed
	$(PY) -m bench

serve: $(VENV)/.installed
	$(PY) -m bot serve

check: $(VENV)/.installed
	$(PY) -m bot check

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
