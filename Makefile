# The README's two commands: `make build` (the main job) and `make test` (the whole test suite).
# Both set everything up from a fresh clone: a virtual environment with the pinned toolchain, then dbt.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DBT := $(BIN)/dbt
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1

# The test suite builds into its own DuckDB file and PostgreSQL schema, never the user's.
TEST_DUCKDB ?= .build/test.duckdb
TEST_PG_SCHEMA ?= kpi_ci

RAW_SEEDS := path:seeds/raw
# Staging and its tests build first; intermediate models and marts only once they pass. An error-level test of
# staging stops the build before a mart is touched, so BI never reads a warehouse half new, half old.
# Cautious indirect selection puts a test in the phase that builds all of its parents. Reconciliations between
# systems (tag:reconciliation) run last, once every model is built: a disagreement fails the run and stores
# its rows, but never leaves the models downstream of it unbuilt.
STAGING := path:models/staging
# Staging builds with one dbt thread on DuckDB: the largest raw tables then never share memory and cores with each
# other (DuckDB already uses every core inside each query). At scale l the phase took 243 s instead of 419 s;
# on the demo it is no slower. docs/performance.md.
DUCKDB_STAGING_THREADS ?= 1

.PHONY: build test test-lanes test-scenarios test-builds pytest-warehouse venv demo-data lint dbt-test-duckdb \
	dbt-test-postgres semantic-layer quality pytest headline clean doctor dev

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-lock.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt -c requirements-lock.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

## make build: load the demo data, dbt build on DuckDB (kpi_layer.duckdb), list KPI alerts, print headline numbers.
build: venv
	$(DBT) seed --select $(RAW_SEEDS) --full-refresh
	$(DBT) build --indirect-selection cautious --select $(STAGING) --exclude tag:threshold \
		$$([ "$${KPI_TARGET:-duckdb}" = duckdb ] && echo --threads $(DUCKDB_STAGING_THREADS))
	$(DBT) build --indirect-selection cautious --exclude $(RAW_SEEDS) $(STAGING) tag:threshold tag:reconciliation
	$(DBT) test --select tag:reconciliation
	$(BIN)/python -m kpi_layer.thresholds
	$(BIN)/python -m kpi_layer.report --duckdb "$${KPI_DUCKDB_PATH:-kpi_layer.duckdb}"

## make test: sqlfluff lint, dbt build (seeds, models, unit and data tests) on DuckDB and PostgreSQL, the
## great-expectations checkpoint on both, pytest. Three independent lanes share the machine's two cores, each
## lane's output printed whole when it ends:
##   test-scenarios  pytest's end-to-end scenarios (each builds its own warehouses), on two workers
##   test-builds     the DuckDB and PostgreSQL test builds side by side, then what reads them (semantic layer,
##                   great-expectations, pytest -m warehouse)
##   lint            sqlfluff
test: venv
	$(MAKE) --no-print-directory -j4 --output-sync=target test-lanes

test-lanes: test-scenarios test-builds lint

test-scenarios: venv
	$(BIN)/python -m pytest -m "not warehouse" -n 2 --dist loadfile

test-builds: dbt-test-duckdb dbt-test-postgres
	$(MAKE) --no-print-directory -j1 semantic-layer quality pytest-warehouse

pytest-warehouse: venv
	$(BIN)/python -m pytest -m warehouse

# Each lane writes its own dbt log (two dbt processes appending to one file would interleave and race its rotation).
lint: export DBT_LOG_PATH := logs/lint
dbt-test-duckdb: export DBT_LOG_PATH := logs/test-duckdb
dbt-test-postgres: export DBT_LOG_PATH := logs/test-postgres
semantic-layer: export DBT_LOG_PATH := logs/semantic-layer

lint: venv
	mkdir -p .build && KPI_DUCKDB_PATH=.build/lint.duckdb DBT_TARGET_PATH=target/lint $(BIN)/sqlfluff lint models tests analyses --disable-progress-bar --nocolor --processes 2

dbt-test-duckdb: venv
	mkdir -p .build && rm -f $(TEST_DUCKDB) $(TEST_DUCKDB).wal
	KPI_DUCKDB_PATH=$(TEST_DUCKDB) DBT_TARGET_PATH=target/test-duckdb $(DBT) seed --select $(RAW_SEEDS) --full-refresh
	KPI_DUCKDB_PATH=$(TEST_DUCKDB) DBT_TARGET_PATH=target/test-duckdb $(DBT) build --indirect-selection cautious --select $(STAGING) --exclude tag:threshold --threads $(DUCKDB_STAGING_THREADS)
	KPI_DUCKDB_PATH=$(TEST_DUCKDB) DBT_TARGET_PATH=target/test-duckdb $(DBT) build --indirect-selection cautious --exclude $(RAW_SEEDS) $(STAGING) tag:threshold tag:reconciliation
	KPI_DUCKDB_PATH=$(TEST_DUCKDB) DBT_TARGET_PATH=target/test-duckdb $(DBT) test --select tag:reconciliation
	KPI_DUCKDB_PATH=$(TEST_DUCKDB) DBT_TARGET_PATH=target/test-duckdb $(BIN)/python -m kpi_layer.thresholds

dbt-test-postgres: venv
	KPI_PG_SCHEMA=$(TEST_PG_SCHEMA) $(BIN)/python -m kpi_layer.pg_setup --reset-schemas
	# the demo CSVs go in with COPY, to the relations and types dbt seed would create (dbt seed took 3 minutes)
	KPI_PG_SCHEMA=$(TEST_PG_SCHEMA) $(BIN)/python -m kpi_layer.loader --seeds seeds/raw --postgres > /dev/null
	KPI_TARGET=postgres KPI_PG_SCHEMA=$(TEST_PG_SCHEMA) DBT_TARGET_PATH=target/test-postgres $(DBT) build --indirect-selection cautious --select $(STAGING) --exclude tag:threshold
	KPI_TARGET=postgres KPI_PG_SCHEMA=$(TEST_PG_SCHEMA) DBT_TARGET_PATH=target/test-postgres $(DBT) build --indirect-selection cautious --exclude $(RAW_SEEDS) $(STAGING) tag:threshold tag:reconciliation
	KPI_TARGET=postgres KPI_PG_SCHEMA=$(TEST_PG_SCHEMA) DBT_TARGET_PATH=target/test-postgres $(DBT) test --select tag:reconciliation
	KPI_TARGET=postgres KPI_PG_SCHEMA=$(TEST_PG_SCHEMA) DBT_TARGET_PATH=target/test-postgres $(BIN)/python -m kpi_layer.thresholds

# MetricFlow reads the semantic manifest from the project's target/, parsed for the warehouse it validates against.
semantic-layer: venv
	env -u DBT_TARGET_PATH KPI_DUCKDB_PATH=$(TEST_DUCKDB) $(DBT) parse --quiet
	env -u DBT_TARGET_PATH KPI_DUCKDB_PATH=$(TEST_DUCKDB) $(BIN)/mf validate-configs > .build/mf-validate.log 2>&1 \
		|| { tr '\r' '\n' < .build/mf-validate.log | tail -n 40; exit 1; }
	tr '\r' '\n' < .build/mf-validate.log | grep 'Successfully' || true

# The great-expectations checkpoint over the KPI marts (suites in great_expectations/suites/), on both test
# warehouses; HTML data docs under .build/great_expectations/<target>/.
quality: venv
	KPI_DUCKDB_PATH=$(TEST_DUCKDB) $(BIN)/python -m kpi_layer.quality --target duckdb --manifest target/test-duckdb/manifest.json
	KPI_TARGET=postgres KPI_PG_SCHEMA=$(TEST_PG_SCHEMA) $(BIN)/python -m kpi_layer.quality --target postgres --manifest target/test-postgres/manifest.json

## make pytest: the whole pytest suite (after make dbt-test-duckdb dbt-test-postgres), on two workers.
pytest: venv
	$(BIN)/python -m pytest -n 2 --dist loadfile

## make dev SELECT=model+: the fast developer loop, DuckDB only. The first run loads the demo data into
## .build/dev.duckdb and builds every model (no tests); each run then builds the selection with its tests.
DEV_DUCKDB ?= .build/dev.duckdb
dev: venv
	@test -n "$(SELECT)" || { echo 'usage: make dev SELECT=<dbt selection>, e.g. SELECT=mrr_monthly+'; exit 2; }
	mkdir -p .build
	test -f $(DEV_DUCKDB) || { $(BIN)/python -m kpi_layer.loader --seeds seeds/raw --duckdb $(DEV_DUCKDB) > /dev/null \
		&& KPI_DUCKDB_PATH=$(DEV_DUCKDB) DBT_TARGET_PATH=target/dev $(DBT) build --quiet \
			--resource-type model --resource-type seed --exclude $(RAW_SEEDS); }
	KPI_DUCKDB_PATH=$(DEV_DUCKDB) DBT_TARGET_PATH=target/dev $(DBT) build --select $(SELECT) --exclude tag:threshold

## make doctor: check the configured warehouse's raw tables before a first build on your own data (read-only);
## pass options with DOCTOR_ARGS, e.g. DOCTOR_ARGS='--target postgres --vars "{stripe_schema: stripe}"'.
doctor: venv
	$(BIN)/python -m kpi_layer.doctor $(DOCTOR_ARGS)

## make demo-data: regenerate the committed demo seeds (deterministic: same seed, same files).
demo-data: venv
	$(BIN)/python -m kpi_layer.generate --scale demo --format seeds --out seeds/raw

clean:
	rm -rf target logs .build kpi_layer.duckdb kpi_layer.duckdb.wal
