# Quick start: `make run` (set up and run the baseline), `make test` (set up and run the tests).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The stamp depends on the files that decide what gets installed, so edits re-install and repeats do not.
STAMP      := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
NOTEBOOK_STAMP := $(VENV)/.installed-notebook

.PHONY: run notebook test check bench fuzz mutation mutations-acceptance regression-refresh setup clean help

help:
	@echo "make run   - create .venv, install, run scenarios/baseline.toml into results/baseline"
	@echo "make notebook - create .venv, install ijsim with JupyterLab and ipywidgets, open JupyterLab in notebooks/"
	@echo "make test  - create .venv, install with test extras, run the whole test suite (2 workers, then the timing tests alone)"
	@echo "make check - the fast tier after every change: no subprocess end-to-end, Dask processes, notebooks, timing or slow tests"
	@echo "make bench - run the benchmarks (benchmarks/) and write results/bench.json"
	@echo "make fuzz  - the fuzz and property tests with many more hypothesis examples"
	@echo "make mutation - mutation testing (mutmut) of the modules whose numbers users read (docs/testing.md)"
	@echo "make mutations-acceptance - the seven mistakes of issue 20, each applied to a copy: the tests must fail"
	@echo "make regression-refresh - rewrite tests/regression/baseline.json and print what moved"
	@echo "make clean - remove .venv and results/"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# After installing, a small run compiles the numba kernels into their cache (simulator/*/__pycache__),
# so the user's first `ijsim run` does not spend its first ten or more seconds compiling (issue 31).
COMPILE_KERNELS := $(BIN)/python -c "import simulator; simulator.run(simulator.load_scenario('baseline'), draws=64, seed=1)"

$(STAMP): $(BIN)/python pyproject.toml requirements.lock scripts/ijsim
	$(BIN)/python -m pip install -qq -c requirements.lock -e .
	$(COMPILE_KERNELS)
	touch $@

# The test extras include the notebook extra: the tests run both notebooks and start JupyterLab as
# `make notebook` does.
$(TEST_STAMP): $(BIN)/python pyproject.toml requirements.lock scripts/ijsim
	$(BIN)/python -m pip install -qq -c requirements.lock -e ".[test,notebook]"
	$(COMPILE_KERNELS)
	touch $@ $(STAMP) $(NOTEBOOK_STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/ijsim run scenarios/baseline.toml --out results/baseline --force

$(NOTEBOOK_STAMP): $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/python -m pip install -qq -c requirements.lock -e ".[notebook]"
	$(COMPILE_KERNELS)
	touch $@ $(STAMP)

# JupyterLab on the notebooks folder (the notebooks read ../scenarios from there). JUPYTER_ARGS adds
# options, e.g. JUPYTER_ARGS="--no-browser --port 8889" on a remote machine. As root (a container),
# JupyterLab refuses to start without --allow-root.
notebook: $(NOTEBOOK_STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root) $(JUPYTER_ARGS)

# Tiers by marker (pyproject.toml): e2e (whole processes, notebooks, Dask processes), timing (wall-clock
# ratios), slow. Two workers, one test file each at a time (module fixtures are built once). The timing
# tests run afterwards with nothing beside them, also when the first step failed (every failure is
# reported at once); exit 5 (no timing test collected) is not a failure.
PYTEST_PARALLEL := -n 2 --dist loadfile

test: $(TEST_STAMP)
	@bash .ci/ensure-chromium.sh
	status=0; \
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "not timing" || status=$$?; \
	$(BIN)/python -m pytest -p no:xdist -m timing || [ $$? -eq 5 ] || status=1; \
	exit $$status

check: $(TEST_STAMP)
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "not e2e and not timing and not slow"

bench: $(TEST_STAMP)
	mkdir -p results
	$(BIN)/python -m pytest benchmarks -q --benchmark-only --benchmark-json=results/bench.json \
		--benchmark-columns=min,mean,stddev,rounds

fuzz: $(TEST_STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q tests/properties/test_fuzz.py tests/properties/test_properties.py \
		tests/core/test_trade.py tests/core/test_exchange.py -k "fuzz or corrupted or invariants or identities"

MUTATION_STAMP := $(VENV)/.installed-mutation

$(MUTATION_STAMP): $(TEST_STAMP)
	$(BIN)/python -m pip install -qq -c requirements.lock -e ".[test,mutation]"
	touch $@

# Scoped: the modules and fast test subset in [tool.mutmut] (pyproject.toml); 2 workers. mutants/ is a
# scratch copy that also keeps the results: a stopped run resumes, and a changed function is retested
# (rm -rf mutants for a fresh start). Fewer hypothesis examples: each mutant reruns the tests that reach it.
# MUTANTS="simulator.montecarlo.comparison*" (globs of mutant names) runs or reruns only those.
mutation: $(MUTATION_STAMP)
	HYPOTHESIS_PROFILE=mutation nice -n 5 $(BIN)/mutmut run --max-children 2 $(MUTANTS)
	$(BIN)/python -m tests.mutation_score

mutations-acceptance: $(TEST_STAMP)
	$(BIN)/python -m tests.mutations

regression-refresh: $(TEST_STAMP)
	$(BIN)/python -m tests.regression refresh

clean:
	rm -rf $(VENV) results mutants
