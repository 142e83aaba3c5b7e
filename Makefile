# budget: make targets for controllers and developers.
# `make report` and `make test` set everything up on a fresh clone.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INPUTS ?= inputs/skarholmen-2017
TERTIAL ?= T2
PERIOD ?=
OUT ?= reports
AXE := node_modules/axe-core/axe.min.js

ifeq ($(strip $(PERIOD)),)
PERIOD_ARG := --tertial $(TERTIAL)
else
PERIOD_ARG := --period $(PERIOD)
endif

.PHONY: underlag samla sie report validate test check lint format typecheck demo-data pdf clean bench snapshots mutants

$(BIN)/budget: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(BIN)/budget

# A T2 report compares its forecasts with T1's: make the T1 report first when it is missing.
report: $(BIN)/budget
	@if [ -z "$(PERIOD)" ] && [ "$(TERTIAL)" = "T2" ] && \
	    [ ! -f "$(OUT)/$(notdir $(INPUTS:%/=%))-T1.json" ]; then \
	  $(BIN)/budget report $(INPUTS) --tertial T1 --out $(OUT); fi
	$(BIN)/budget report $(INPUTS) $(PERIOD_ARG) --out $(OUT)

validate: $(BIN)/budget
	$(BIN)/budget validate $(INPUTS)

# Prognosunderlag: one workbook per ansvar to send to the units (underlag/<mapp>-<period>/).
underlag: $(BIN)/budget
	$(BIN)/budget underlag $(INPUTS) $(PERIOD_ARG)

# The returned workbooks (RETURNED, default underlag/<mapp>-<period>-inlamnat) into prognos.xlsx.
# STATUS: the controller's list of missing units (with Chef) and the largest changes.
RETURNED ?= underlag/$(notdir $(INPUTS:%/=%))-$(if $(PERIOD),$(PERIOD),$(TERTIAL))-inlamnat
STATUS ?= underlag/$(notdir $(INPUTS:%/=%))-$(if $(PERIOD),$(PERIOD),$(TERTIAL))-status.xlsx
samla: $(BIN)/budget
	$(BIN)/budget samla $(INPUTS) $(RETURNED) $(PERIOD_ARG) --status $(STATUS)

# One SIE export as a ledger workbook a controller can open: make sie SIE=utfall.se
sie: $(BIN)/budget
	@test -n "$(SIE)" || { echo "Ange filen: make sie SIE=utfall.se"; exit 2; }
	$(BIN)/budget sie $(SIE) --out $(OUT)

test: $(BIN)/budget $(AXE)
	$(BIN)/python -m pytest -q

# axe-core (npm) checks the report against WCAG 2.1 AA in the browser tests.
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent && touch $@; \
	  else echo "npm saknas: tillgänglighetstestet (axe-core) hoppas över; installera npm"; fi

lint: $(BIN)/budget
	$(BIN)/ruff check budget tests scripts bench
	$(BIN)/ruff format --check budget tests scripts bench
	$(BIN)/lint-imports

format: $(BIN)/budget
	$(BIN)/ruff format budget tests scripts bench
	$(BIN)/ruff check --fix budget tests scripts bench

typecheck: $(BIN)/budget
	$(BIN)/mypy

check: lint typecheck test

# After a deliberate change of a figure or a text: rewrite the golden snapshots of the demo's
# files (tests/__snapshots__/), then review them with `git diff tests/__snapshots__`.
snapshots: $(BIN)/budget
	$(BIN)/python -m pytest -q tests/test_golden.py --snapshot-update
	git --no-pager diff --stat -- tests/__snapshots__

# Mutation testing of budget/core with mutmut ([tool.mutmut] in pyproject.toml), not in CI:
# takes about half an hour on two cores. Lists the surviving mutants; `mutmut show NAME`.
mutants: $(BIN)/budget
	rm -rf mutants
	$(BIN)/mutmut run --max-children 2 || true
	$(BIN)/mutmut results

# The demo report printed to A4 PDF with headless Chromium (Debian's chromium package).
pdf: report
	$(BIN)/python -m scripts.pdf $(OUT)/$(notdir $(INPUTS:%/=%))-$(TERTIAL).html

demo-data: $(BIN)/budget
	$(BIN)/python -m scripts.make_demo inputs/skarholmen-2017

# Speed as ratios in one run (bench/run.py); writes docs/performance.md. Not a test.
bench: $(BIN)/budget
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis build dist *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find reports -mindepth 1 ! -name .gitkeep -delete
	rm -rf mutants
