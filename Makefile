# `make demo` and `make test` create .venv when it is missing and install the project into it: every package
# at the version and with the hashes that requirements.lock holds (pip refuses a file whose hash differs).
# The lock holds every transitive dependency, so pip installs it as it stands (--no-deps: the resolver of the
# venv's own older pip takes an extra such as CacheControl[filecache] for an unpinned requirement) and
# `pip check` then proves that nothing is missing or at a version another package refuses.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: demo test lint typecheck bench mutation lock clean

$(STAMP): pyproject.toml requirements.lock Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements.lock
	$(BIN)/python -m pip check
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m whitenoise.compress --quiet --no-brotli src/dti/web/static/vendor
	touch $(STAMP)

# After a change of the pins in pyproject.toml: resolve every transitive dependency again, with hashes.
lock:
	test -x .lock-venv/bin/pip-compile || ($(PYTHON) -m venv .lock-venv && .lock-venv/bin/pip install --quiet pip-tools==7.6.2)
	.lock-venv/bin/pip-compile --quiet --generate-hashes --allow-unsafe --all-build-deps --all-extras \
	  --no-emit-index-url --no-emit-trusted-host --no-emit-find-links --strip-extras \
	  --output-file=requirements.lock pyproject.toml

demo: $(STAMP)
	$(BIN)/dti demo --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/bandit -q -r src

# The engine and the document writers are typed throughout; mypy checks them (configuration in pyproject.toml).
typecheck: $(STAMP)
	$(BIN)/mypy

# One test process per core (pytest-xdist); `-n 0` runs them in this process.
test: lint typecheck
	$(BIN)/python -m pytest -n auto

# Mutation testing of the engine's points, ranking and grading, the policy and the scope rules (mutmut; the
# modules and tests are in pyproject.toml, the last run's figures in docs/testing.md). Takes tens of minutes.
mutation: $(STAMP)
	rm -rf mutants
	$(BIN)/mutmut run --max-children $$(nproc)
	$(BIN)/mutmut export-cicd-stats
	cat mutants/mutmut-cicd-stats.json

bench: $(STAMP)
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/analysis.py
	$(BIN)/python bench/documents.py
	$(BIN)/python bench/pages.py

clean:
	rm -rf $(VENV) .lock-venv .pytest_cache .ruff_cache .mypy_cache .hypothesis mutants
