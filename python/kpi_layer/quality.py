"""Data-quality checkpoint: validate the KPI marts with great-expectations against the suites in the repo.

    python -m kpi_layer.quality                      # DuckDB (KPI_DUCKDB_PATH, default kpi_layer.duckdb)
    python -m kpi_layer.quality --target postgres    # PostgreSQL (KPI_PG_*; schema <KPI_PG_SCHEMA>_marts)
    python -m kpi_layer.quality --suite mrr_monthly  # only some suites
    python -m kpi_layer.quality --manifest target/manifest.json   # skip the suites of disabled marts

A suite whose mart dbt disabled (its source family switched off, var using_<family>) is skipped and listed as
`off`: the runner reads the dbt manifest (--manifest, default $DBT_TARGET_PATH/manifest.json or
target/manifest.json) for the marts the build disabled.

The suites are files, one per mart: great_expectations/suites/<domain>/<mart>.yml, each a great-expectations
ExpectationSuite (name, expectations: type + kwargs + meta) written in YAML so it can carry comments. The same
suites run on both warehouses:
- DuckDB: great-expectations 1.24's SQL path fails on duckdb-engine (IndexError in resolve_metric_bundle) and it
  has no DuckDB datasource, so each mart is read into a DataFrame with the duckdb package and validated through
  a pandas datasource (add_pandas + add_dataframe_asset, the frame passed as the batch parameter `dataframe`).
- PostgreSQL: great-expectations' own add_postgres datasource, one table asset per mart: the checks run in SQL.

Two conventions of the suite files, both plain great-expectations underneath:
- periods contiguous: an expect_column_unique_value_count_to_be_between whose min_value and max_value are
  {$PARAMETER: <column>__periods_in_span} and whose meta says `periods_in_span: {column, grain}`; the runner
  sets the parameter to the number of days/weeks/months between the column's min and max (inclusive). With the
  key unique, distinct periods == periods in the span means no gap.
- row counts: expect_table_row_count_to_be_between with generous ranges (the demo data's counts /2 .. x4).

The context is ephemeral (nothing to configure); a checkpoint per suite runs with one run id (a pandas batch
parameter is per checkpoint run, so on DuckDB each mart's frame needs its own run), the results go to
great-expectations' HTML data docs under .build/great_expectations/<target>/ and one line per suite is printed.
Exit status: 0 when every expectation passed, 1 when any failed or could not run (or a mart is missing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kpi_layer import PROJECT_ROOT

SUITES_DIR = PROJECT_ROOT / "great_expectations" / "suites"
DOCS_ROOT = PROJECT_ROOT / ".build" / "great_expectations"
GRAINS = ("day", "week", "month")


@dataclass
class SuiteOutcome:
    suite: str
    model: str
    evaluated: int = 0
    failed: list[str] = field(default_factory=list)
    error: str | None = None
    disabled: bool = False

    @property
    def success(self) -> bool:
        return self.error is None and not self.failed

    def line(self) -> str:
        if self.disabled:
            return f"off   {self.suite}: {self.model} is disabled (its source family is switched off)"
        if self.error:
            return f"ERROR {self.suite}: {self.error}"
        status = "ok  " if self.success else "FAIL"
        text = f"{status}  {self.suite}: {self.evaluated - len(self.failed)}/{self.evaluated} expectations passed"
        if self.failed:
            text += "; failed: " + "; ".join(self.failed)
        return text


# ---------------------------------------------------------------------------------------------------- suites
def default_manifest() -> Path:
    return Path(os.environ.get("DBT_TARGET_PATH") or PROJECT_ROOT / "target") / "manifest.json"


def disabled_models(manifest: Path | None) -> set[str]:
    """The models a dbt manifest lists as disabled (none when there is no manifest to read)."""
    import json

    if manifest is None or not manifest.exists():
        return set()
    disabled = json.loads(manifest.read_text()).get("disabled", {})
    return {nodes[0]["name"] for uid, nodes in disabled.items() if uid.startswith("model.") and nodes}


def load_suites(only: list[str] | None = None, suites_dir: Path = SUITES_DIR) -> list[dict[str, Any]]:
    """Read every suite file; the suite's name is its file's stem and its model `meta.model` (default: name)."""
    suites = []
    for path in sorted(suites_dir.rglob("*.yml")):
        suite = yaml.safe_load(path.read_text())
        if suite.get("name") != path.stem:
            raise ValueError(f"{path}: suite name {suite.get('name')!r} must equal the file name {path.stem!r}")
        suite.setdefault("meta", {}).setdefault("model", path.stem)
        if only and suite["name"] not in only:
            continue
        suites.append(suite)
    if only:
        missing = sorted(set(only) - {s["name"] for s in suites})
        if missing:
            raise ValueError(f"no suite named {', '.join(missing)} under {suites_dir}")
    return suites


def period_columns(suite: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Expectation parameter -> (column, grain) for the suite's contiguity checks."""
    out = {}
    for exp in suite.get("expectations", []):
        spec = (exp.get("meta") or {}).get("periods_in_span")
        if not spec:
            continue
        if spec["grain"] not in GRAINS:
            raise ValueError(f"{suite['name']}: periods_in_span grain must be one of {GRAINS}")
        for bound in ("min_value", "max_value"):
            param = exp["kwargs"][bound]["$PARAMETER"]
            out[param] = (spec["column"], spec["grain"])
    return out


def periods_in_span(first: Any, last: Any, grain: str) -> int:
    """Days, weeks or months from first to last, both included (0 when the column is empty)."""
    if first is None or last is None or first != first:  # None or NaT
        return 0
    first, last = _as_date(first), _as_date(last)
    if grain == "day":
        return (last - first).days + 1
    if grain == "week":
        return (last - first).days // 7 + 1
    return (last.year - first.year) * 12 + last.month - first.month + 1


def _as_date(value: Any) -> dt.date:
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


# ------------------------------------------------------------------------------------------------ warehouses
def marts_schema(target: str) -> str:
    if target == "postgres":
        from kpi_layer.pg_setup import settings
        return settings()["schema"] + "_marts"
    return "main_marts"


class DuckDBMarts:
    """Reads each mart into a DataFrame (the KPI marts are small) for GE's pandas datasource."""

    def __init__(self, path: str):
        import duckdb
        if not Path(path).exists():
            raise FileNotFoundError(f"DuckDB file {path} not found (set KPI_DUCKDB_PATH or run dbt build)")
        self.con = duckdb.connect(path, read_only=True)
        self.schema = marts_schema("duckdb")

    def add_datasource(self, context):
        return context.data_sources.add_pandas("duckdb_marts")

    def add_asset(self, datasource, model: str):
        return datasource.add_dataframe_asset(name=model)

    def batch(self, model: str, columns: dict[str, tuple[str, str]]) -> tuple[dict[str, Any], dict[str, int]]:
        exists = self.con.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [self.schema, model]).fetchone()[0]
        if not exists:
            raise LookupError(f"table {self.schema}.{model} not found")
        frame = self.con.execute(f'select * from "{self.schema}"."{model}"').df()
        params = {p: periods_in_span(frame[c].min(), frame[c].max(), g) for p, (c, g) in columns.items()}
        return {"dataframe": frame}, params

    def close(self):
        self.con.close()


class PostgresMarts:
    """GE's own PostgreSQL datasource, a table asset per mart: the expectations run in the database."""

    def __init__(self):
        from kpi_layer.pg_setup import connect, settings
        try:
            import sqlalchemy  # noqa: F401  (great-expectations' SQL datasources need it)
        except ImportError as e:
            raise FileNotFoundError("SQLAlchemy is not installed: `make venv` (requirements.txt pins it)") from e
        self.s = settings()
        self.con = connect(self.s, self.s["user"], self.s["dbname"])
        self.con.autocommit = True
        self.schema = marts_schema("postgres")

    def add_datasource(self, context):
        from urllib.parse import quote
        s = self.s
        auth = quote(s["user"]) + (":" + quote(s["password"]) if s["password"] else "")
        url = f"postgresql+psycopg2://{auth}@{s['host']}:{s['port']}/{s['dbname']}"
        return context.data_sources.add_postgres("postgres_marts", connection_string=url)

    def add_asset(self, datasource, model: str):
        return datasource.add_table_asset(name=model, table_name=model, schema_name=self.schema)

    def batch(self, model: str, columns: dict[str, tuple[str, str]]) -> tuple[dict[str, Any], dict[str, int]]:
        with self.con.cursor() as cur:
            cur.execute("select 1 from information_schema.tables where table_schema = %s and table_name = %s",
                        (self.schema, model))
            if not cur.fetchone():
                raise LookupError(f"table {self.schema}.{model} not found")
            params = {}
            for param, (column, grain) in columns.items():
                cur.execute(f'select min("{column}"), max("{column}") from "{self.schema}"."{model}"')
                params[param] = periods_in_span(*cur.fetchone(), grain)
        return {}, params

    def close(self):
        self.con.close()


# ------------------------------------------------------------------------------------------------ checkpoint
def _context(docs_dir: Path):
    # No usage analytics: the project's machines are offline and a check must not phone home.
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.add_data_docs_site(site_name="kpi_marts", site_config={
        "class_name": "SiteBuilder",
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    })
    return context


def _describe(result, parameters: dict[str, Any]) -> str:
    cfg = result.expectation_config
    kw = cfg.kwargs
    target = kw.get("column") or ",".join(kw.get("column_list") or []) or ""
    text = f"{cfg.type}({target})" if target else cfg.type
    if result.exception_info and result.exception_info.get("raised_exception"):
        return text + " raised " + str(result.exception_info.get("exception_message"))[:200]
    res = result.result or {}
    if res.get("unexpected_count"):
        sample = res.get("partial_unexpected_list") or []
        text += f" {res['unexpected_count']} unexpected" + (f" e.g. {sample[:3]}" if sample else "")
    elif "observed_value" in res:
        bounds = [kw.get(b) for b in ("min_value", "max_value")]
        bounds = [parameters.get(b["$PARAMETER"]) if isinstance(b, dict) else b for b in bounds]
        text += f" observed {res['observed_value']}, expected {bounds[0]} to {bounds[1]}"
    return text


def run(target: str, only: list[str] | None = None, docs_dir: Path | None = None,
        suites_dir: Path = SUITES_DIR, manifest: Path | None = None) -> list[SuiteOutcome]:
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier

    docs_dir = docs_dir or DOCS_ROOT / target
    suites = load_suites(only, suites_dir)
    off = disabled_models(manifest)
    warehouse = (PostgresMarts() if target == "postgres"
                 else DuckDBMarts(os.environ.get("KPI_DUCKDB_PATH", "kpi_layer.duckdb")))
    context = _context(docs_dir)
    datasource = warehouse.add_datasource(context)
    run_id = RunIdentifier(run_name=f"kpi_marts_{target}", run_time=dt.datetime.now(dt.timezone.utc))
    outcomes = []
    try:
        for spec in suites:
            model = spec["meta"]["model"]
            outcome = SuiteOutcome(suite=spec["name"], model=model, disabled=model in off)
            outcomes.append(outcome)
            if outcome.disabled:
                continue
            try:
                batch_parameters, expectation_parameters = warehouse.batch(model, period_columns(spec))
            except LookupError as e:
                outcome.error = str(e)
                continue
            suite = context.suites.add(gx.ExpectationSuite(
                name=spec["name"], expectations=spec.get("expectations", []), meta=spec.get("meta")))
            batch_definition = warehouse.add_asset(datasource, model).add_batch_definition_whole_table(
                "whole_table") if target == "postgres" else warehouse.add_asset(
                datasource, model).add_batch_definition_whole_dataframe("whole_dataframe")
            validation = context.validation_definitions.add(
                gx.ValidationDefinition(name=f"{target}__{spec['name']}", data=batch_definition, suite=suite))
            checkpoint = context.checkpoints.add(gx.Checkpoint(
                name=f"kpi_marts_{target}__{spec['name']}", validation_definitions=[validation],
                result_format={"result_format": "SUMMARY", "partial_unexpected_count": 3}))
            result = checkpoint.run(batch_parameters=batch_parameters,
                                    expectation_parameters=expectation_parameters, run_id=run_id)
            for validation_result in result.run_results.values():
                for r in validation_result.results:
                    outcome.evaluated += 1
                    if not r.success:
                        outcome.failed.append(_describe(r, expectation_parameters))
    finally:
        warehouse.close()
    docs_dir.mkdir(parents=True, exist_ok=True)
    context.build_data_docs(site_names=["kpi_marts"])
    return outcomes


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--target", choices=("duckdb", "postgres"), default=os.environ.get("KPI_TARGET", "duckdb"))
    p.add_argument("--suite", action="append", help="run only this suite (repeatable)")
    p.add_argument("--docs-dir", type=Path, help="where to write the data docs "
                   "(default .build/great_expectations/<target>)")
    p.add_argument("--manifest", type=Path, default=default_manifest(),
                   help="dbt manifest naming the disabled marts (default $DBT_TARGET_PATH or target/)")
    a = p.parse_args(argv)
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")
    started = time.monotonic()
    try:
        outcomes = run(a.target, a.suite, a.docs_dir, manifest=a.manifest)
    except (FileNotFoundError, ValueError) as e:
        print(f"FATAL: {e}", file=sys.stderr)
        return 1
    for o in outcomes:
        print(o.line())
    docs = (a.docs_dir or DOCS_ROOT / a.target) / "index.html"
    failed = [o for o in outcomes if not o.success]
    skipped = sum(o.disabled for o in outcomes)
    print(f"great-expectations checkpoint on {a.target}: {len(outcomes) - skipped} suites ({skipped} off), "
          f"{sum(o.evaluated for o in outcomes)} expectations, {len(failed)} suites failed "
          f"({time.monotonic() - started:.1f} s); data docs: {docs}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
