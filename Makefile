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

.PHONY: help lock init underlag samla sie report validate test check lint format typecheck demo-data pdf clean bench bench-stad snapshots mutants stad
.DEFAULT_GOAL := help

# `make` alone lists the targets: the text after `## ` on a target's line, in Swedish.
help: ## visar den här listan
	@echo "Användning: make MÅL [INPUTS=inputs/mapp] [TERTIAL=T1|T2|helar | PERIOD=1-12] [OUT=reports]"
	@echo
	@awk -F':.*## ' '/^[a-z-]+:.*## / {printf "  make %-11s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# The environment is installed from lock files with hashes (requirements/, written by
# `make lock`): the report needs only the runtime set; tests and tools add the developer set.
RUNTIME_LOCK := requirements/runtime.txt
DEV_LOCK := requirements/dev.txt
DEV := $(VENV)/.dev

$(BIN)/budget: pyproject.toml $(RUNTIME_LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(RUNTIME_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(BIN)/budget

$(DEV): $(BIN)/budget $(DEV_LOCK)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(DEV_LOCK)
	@touch $(DEV)

lock: $(DEV) ## skriver om låsfilerna i requirements/ efter en ändring i pyproject.toml
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
	  --custom-compile-command "make lock" --quiet -o $(RUNTIME_LOCK)
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra bench --universal \
	  --python-version 3.11 --generate-hashes --custom-compile-command "make lock" --quiet \
	  -o $(DEV_LOCK)

# A T2 report compares its forecasts with T1's: make the T1 report first when it is missing.
report: $(BIN)/budget ## rapporten (demon: Skärholmen T2 2017) som HTML, JSON, Excel, begäran och Word i OUT
	@if [ -z "$(PERIOD)" ] && [ "$(TERTIAL)" = "T2" ] && \
	    [ ! -f "$(OUT)/$(notdir $(INPUTS:%/=%))-T1.json" ]; then \
	  $(BIN)/budget report $(INPUTS) --tertial T1 --out $(OUT); fi
	$(BIN)/budget report $(INPUTS) $(PERIOD_ARG) --out $(OUT)

# A starter inputs folder for a new nämnd or year (never writes into a folder with files).
init: $(BIN)/budget ## ny indatamapp: make init INPUTS=inputs/x-2027 NAMND='Nämndens namn' AR=2027
	@test -n "$(NAMND)" -a -n "$(AR)" || \
	  { echo "Ange nämnd och år: make init INPUTS=inputs/x-2027 NAMND='Nämndens namn' AR=2027"; exit 2; }
	$(BIN)/budget init $(INPUTS) --namnd '$(NAMND)' --ar $(AR)

validate: $(BIN)/budget ## kontrollerar indatamappen INPUTS för perioden
	$(BIN)/budget validate $(INPUTS) $(PERIOD_ARG)

# The prefilled analys.docx (contract §7), beside the reports: the inputs folder keeps the
# förvaltning's own analys.docx, which budget analysmall never overwrites.
ANALYS ?= $(OUT)/$(notdir $(INPUTS:%/=%))-analysmall.docx
analysmall: $(BIN)/budget ## förifylld analys.docx för perioden (ANALYS=fil; standard i OUT)
	$(BIN)/budget analysmall $(INPUTS) $(PERIOD_ARG) --out $(ANALYS)

# Prognosunderlag: one workbook per ansvar to send to the units (underlag/<mapp>-<period>/).
underlag: $(BIN)/budget ## prognosunderlag, en arbetsbok per ansvar
	$(BIN)/budget underlag $(INPUTS) $(PERIOD_ARG)

# The returned workbooks (RETURNED, default underlag/<mapp>-<period>-inlamnat) into prognos.xlsx,
# each checked against what underlag sent (underlag/<mapp>-<period>/utskick.json, found there).
# STATUS: the controller's list of missing units (with Chef) and the largest changes.
# SUFFIX: the period in file names as budget writes it (core.period.Period.suffix).
MONTH_SUFFIX = $(word $(or $(filter 1 2 3 4 5 6 7 8 9 10 11 12,$(PERIOD:0%=%)),13),\
  01 02 03 T1 05 06 07 T2 09 10 11 helar $(PERIOD))
SUFFIX = $(if $(PERIOD),$(MONTH_SUFFIX),$(strip \
  $(if $(filter t1 T1,$(TERTIAL)),T1,$(if $(filter t2 T2,$(TERTIAL)),T2,helar))))
RETURNED ?= underlag/$(notdir $(INPUTS:%/=%))-$(SUFFIX)-inlamnat
STATUS ?= underlag/$(notdir $(INPUTS:%/=%))-$(SUFFIX)-status.xlsx
# samla writes prognos.xlsx into the inputs folder. No make target changes a committed file
# (the demo's inputs): for a folder with files in git, samla collects into a copy,
# $(OUT)/samlat/<mapp> (with the archive beside it, as namnd.toml's `arkiv = "../arkiv"`
# expects), refreshed from INPUTS on each run; make the report from there.
INPUTS_NAME := $(notdir $(INPUTS:%/=%))
COMMITTED := $(shell git ls-files -- '$(INPUTS)' 2>/dev/null | head -n 1)
COLLECT_IN := $(if $(COMMITTED),$(OUT)/samlat/$(INPUTS_NAME),$(INPUTS))
samla: $(BIN)/budget ## samlar de ifyllda underlagen i RETURNED till prognos.xlsx (demot: i en kopia i OUT)
ifneq ($(COMMITTED),)
	@echo "$(INPUTS) är versionshanterad och ändras inte: samla skriver prognos.xlsx i en kopia, $(COLLECT_IN)"
	@mkdir -p '$(COLLECT_IN)' && cp -R '$(INPUTS:%/=%)/.' '$(COLLECT_IN)/'
	@if [ -d '$(dir $(INPUTS:%/=%))arkiv' ]; then mkdir -p '$(OUT)/samlat/arkiv' && \
	  cp -R '$(dir $(INPUTS:%/=%))arkiv/.' '$(OUT)/samlat/arkiv/'; fi
	@echo "Rapporten med de insamlade prognoserna: make report INPUTS=$(COLLECT_IN)"
endif
	$(BIN)/budget samla $(COLLECT_IN) $(RETURNED) $(PERIOD_ARG) --status $(STATUS)

# One SIE export as a ledger workbook a controller can open: make sie SIE=utfall.se
sie: $(BIN)/budget ## gör om en SIE-fil till en huvudboksarbetsbok: make sie SIE=fil.se
	@test -n "$(SIE)" || { echo "Ange filen: make sie SIE=utfall.se"; exit 2; }
	$(BIN)/budget sie $(SIE) --out $(OUT)

# The city's report (contract §10) from the nämnder's report JSONs in STAD (stad.toml,
# the office's workbook and huvudbok/*.parquet beside them). Without STAD: the city demo,
# made by scripts/make_city_demo.py in reports/stad-2017.
STAD ?=
stad: $(BIN)/budget ## stadens sammanställning av nämndernas rapporter (STAD=mapp; utan: demot)
ifeq ($(strip $(STAD)),)
	$(BIN)/python -m scripts.make_city_demo $(OUT)/stad-2017
	$(BIN)/budget stad $(OUT)/stad-2017 --out $(OUT)
else
	$(BIN)/budget stad $(STAD) --out $(OUT)
endif

test: $(DEV) $(AXE) ## kör alla tester
	$(BIN)/python -m pytest -q

# axe-core (npm) checks the report against WCAG 2.1 AA in the browser tests.
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent && touch $@; \
	  else echo "npm saknas: tillgänglighetstestet (axe-core) hoppas över; installera npm"; fi

lint: $(DEV) ## ruff och lagerkontrakten (import-linter)
	$(BIN)/ruff check budget tests scripts bench
	$(BIN)/ruff format --check budget tests scripts bench
	$(BIN)/lint-imports

format: $(DEV) ## formaterar koden med ruff
	$(BIN)/ruff format budget tests scripts bench
	$(BIN)/ruff check --fix budget tests scripts bench

typecheck: $(DEV) ## mypy
	$(BIN)/mypy

check: lint typecheck test ## ruff, lagerkontrakten, mypy och testerna: grinden före en commit

# After a deliberate change of a figure or a text: rewrite the golden snapshots of the demo's
# files (tests/__snapshots__/), then review them with `git diff tests/__snapshots__`.
snapshots: $(DEV) ## skriver om de gyllene ögonblicksbilderna efter en avsiktlig ändring
	$(BIN)/python -m pytest -q tests/test_golden.py --snapshot-update
	git --no-pager diff --stat -- tests/__snapshots__

# Mutation testing of the core, the checks and the report sections with mutmut ([tool.mutmut]
# in pyproject.toml), not in CI. 11 347 mutants (2026-12-08). mypy refuses some before any
# test runs (type_check_command); the end-to-end tests (tests/slow.txt, and those sharing a
# fixture their module builds once: tests/conftest.py marks them slow) are not run on
# mutants. Measured on 2 shared cores, nice 19: mutants made in 2 min, mypy over them 12 min,
# the stats run 10 min, the clean run 10 min; then each mutant runs the tests that reach its
# function until one fails, so a survivor of a function every corpus case reaches runs them
# all (up to ~300 s): many hours in all. Resumable: mutants/ keeps the results, and `mutmut
# run` without `rm -rf mutants` goes on where it stopped. Writes the score per module to
# docs/mutation.md (scripts/mutation_score.py) and lists the surviving mutants; `mutmut show
# NAME` shows one.
MUTANT_CHILDREN ?= 2
mutants: $(DEV) ## mutationstestning, skriver docs/mutation.md (tar lång tid, inte i CI)
	rm -rf mutants
	PATH="$(abspath $(BIN)):$$PATH" nice -n 19 $(BIN)/mutmut run --max-children $(MUTANT_CHILDREN) || true
	$(BIN)/python -m scripts.mutation_score
	$(BIN)/mutmut results

# The demo report printed to A4 PDF with headless Chromium (Debian's chromium package).
pdf: $(DEV) report ## skriver ut rapporten för perioden som A4-PDF med Chromium
	$(BIN)/python -m scripts.pdf --mapp $(INPUTS) --out $(OUT) "$(PERIOD)" "$(TERTIAL)"

demo-data: $(DEV) ## skapar demons indata på nytt (deterministiskt)
	$(BIN)/python -m scripts.make_demo inputs/skarholmen-2017

# Speed as ratios in one run (bench/run.py); writes docs/performance.md. Not a test.
bench: $(DEV) ## mäter hastigheten; skriver docs/performance.md och docs/performance-stad.md
	$(BIN)/python bench/run.py
	$(BIN)/python bench/city.py

# Only the city's part: the cube over 100 million Parquet rows, polars against DuckDB.
bench-stad: $(DEV) ## mäter stadens kub (100 miljoner rader, polars och DuckDB)
	$(BIN)/python bench/city.py

clean: ## tar bort .venv/, cachar och genererade rapporter
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis build dist *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find reports -mindepth 1 ! -name .gitkeep -delete
	rm -rf mutants
