"""Source doctor: check a warehouse's raw tables before the first `dbt build`, and say which KPIs can be computed.

    python -m kpi_layer.doctor                                   # DuckDB (KPI_DUCKDB_PATH)
    python -m kpi_layer.doctor --target postgres                 # PostgreSQL (KPI_PG_*)
    python -m kpi_layer.doctor --vars '{stripe_schema: stripe, using_ops: false}'
    python -m kpi_layer.doctor --as-of 2025-06-30                # judge freshness at the end of that day (UTC)
    python -m kpi_layer.doctor --json                            # the report as JSON
    python -m kpi_layer.doctor --manifest target/doctor/manifest.json   # reuse a parse (same --vars)

It runs `dbt parse` with the given --target and --vars (into target/doctor, so it never clobbers another run's
manifest), reads the sources, metrics and lineage from the manifest, and inspects the warehouse through
information_schema. For every enabled source family (var using_<family>) it reports per declared table:
present or missing, required or optional (`meta: {optional: true}`: staging reads a missing optional table as
empty and a missing optional column as null), missing columns, columns whose type will not cast to the declared
data_type (text where a number, boolean or timestamp is declared is sampled with a cast), row count and
freshness (max of the source's loaded_at_field against its warn/error thresholds). Then every KPI (MetricFlow
metric) is traced metric -> semantic models -> model -> upstream sources, and reported computable, off (its
family is switched off) or blocked (a required table or column is missing).

It only reads: DuckDB is opened read_only, PostgreSQL sessions are read-only. Exit status: 0 when every
required table and column of the enabled families is there (stale data and type warnings do not fail), 1 when
one is missing, 2 when dbt parse or the connection fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import textwrap
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import yaml

from kpi_layer import PROJECT_ROOT, registry
from kpi_layer.contract import SOURCES as FAMILIES

SAMPLE_ROWS = 1000  # values sampled per text column when probing a cast: enough to catch a bad format, cheap
PERIOD_HOURS = {"minute": 1 / 60, "hour": 1.0, "day": 24.0}


# ------------------------------------------------------------------------------------------------ dbt parse
def dbt_executable() -> str:
    dbt = Path(sys.executable).with_name("dbt")
    return str(dbt) if dbt.exists() else "dbt"


def duckdb_path(project_dir: Path) -> Path:
    """The DuckDB file the profile opens; a relative KPI_DUCKDB_PATH is taken from the caller's directory."""
    raw = os.environ.get("KPI_DUCKDB_PATH")
    return Path(raw).resolve() if raw else project_dir / "kpi_layer.duckdb"


def parse_project(project_dir: Path, target_path: Path, cli_vars: str | None, target: str | None) -> Path:
    """Run `dbt parse` into a private target path and return its manifest.json."""
    env = dict(os.environ)
    env["DBT_TARGET_PATH"] = str(target_path)
    env["DBT_LOG_PATH"] = str(target_path / "logs")
    env.setdefault("DBT_PROFILES_DIR", str(project_dir))
    env["DBT_USE_COLORS"] = "false"
    # dbt runs in the project directory: hand it the same file the doctor will open
    env["KPI_DUCKDB_PATH"] = str(duckdb_path(project_dir))
    cmd = [dbt_executable(), "parse", "--project-dir", str(project_dir)]
    if target:
        cmd += ["--target", target]
    if cli_vars:
        cmd += ["--vars", cli_vars]
    done = subprocess.run(cmd, cwd=project_dir, env=env, capture_output=True, text=True, check=False)
    manifest = target_path / "manifest.json"
    if done.returncode != 0 or not manifest.exists():
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-30:])
        raise DoctorError(f"dbt parse failed (exit {done.returncode}):\n{tail}")
    return manifest


class DoctorError(Exception):
    """A configuration or connection problem: the doctor cannot inspect anything (exit 2)."""


# ------------------------------------------------------------------------------------------- configuration
@dataclass(frozen=True)
class DeclaredColumn:
    name: str
    data_type: str | None
    optional: bool


@dataclass(frozen=True)
class DeclaredTable:
    unique_id: str
    family: str
    name: str
    database: str
    schema: str
    identifier: str
    optional: bool
    columns: tuple[DeclaredColumn, ...]
    loaded_at_field: str | None
    freshness: dict[str, Any] | None

    @property
    def label(self) -> str:
        return f"{self.family}.{self.name}"

    @property
    def location(self) -> str:
        return f"{self.database}.{self.schema}"


def is_optional(node: dict[str, Any]) -> bool:
    # dbt 1.10+ keeps meta under config; older YAML puts it at the top level: honour both
    meta = {**(node.get("meta") or {}), **((node.get("config") or {}).get("meta") or {})}
    return bool(meta.get("optional"))


def declared_table(node: dict[str, Any]) -> DeclaredTable:
    columns = tuple(DeclaredColumn(c["name"], c.get("data_type"), is_optional(c))
                    for c in (node.get("columns") or {}).values())
    freshness = node.get("freshness") or (node.get("config") or {}).get("freshness")
    if not freshness or not (freshness.get("warn_after") or freshness.get("error_after")):
        freshness = None  # freshness: null in the YAML switches the check off
    return DeclaredTable(
        unique_id=node["unique_id"], family=node["source_name"], name=node["name"],
        database=node["database"], schema=node["schema"], identifier=node.get("identifier") or node["name"],
        optional=is_optional(node), columns=columns, loaded_at_field=node.get("loaded_at_field"),
        freshness=freshness,
    )


def disabled_nodes(manifest: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    return [n for versions in manifest.get("disabled", {}).values() for n in versions
            if n.get("resource_type") == resource_type]


def project_vars(project_dir: Path, cli_vars: str | None) -> dict[str, Any]:
    """The vars as dbt resolves the plain ones: dbt_project.yml, then --vars on top."""
    doc = yaml.safe_load((project_dir / "dbt_project.yml").read_text()) or {}
    values = dict(doc.get("vars") or {})
    values.update(values.pop(doc.get("name", ""), None) or {})
    if cli_vars:
        values.update(yaml.safe_load(cli_vars) or {})
    return values


def truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in ("false", "0", "no", "off", "")
    return bool(value)


def family_switches(manifest: dict[str, Any], variables: dict[str, Any]) -> dict[str, bool]:
    """Family -> on. A family is off when its var says so, or when dbt disabled all of its sources."""
    enabled = {n["source_name"] for n in manifest["sources"].values()}
    disabled = {n["source_name"] for n in disabled_nodes(manifest, "source")}
    families = list(FAMILIES) + sorted((enabled | disabled) - set(FAMILIES))
    return {f: truthy(variables.get(f"using_{f}", True)) and not (f in disabled and f not in enabled)
            for f in families}


# ----------------------------------------------------------------------------------------------- warehouse
Relation = tuple[str, str, str]  # database, schema, table as the warehouse spells them


@dataclass
class Catalog:
    """What information_schema shows: tables (with their columns and types) and schemas, by normalised name."""
    tables: dict[Relation, Relation] = field(default_factory=dict)
    columns: dict[Relation, dict[str, tuple[str, str]]] = field(default_factory=dict)
    schemas: set[tuple[str, str]] = field(default_factory=set)
    unreachable: dict[str, str] = field(default_factory=dict)  # database -> why


def quote_duckdb(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class DuckDBWarehouse:
    engine = "duckdb"
    case_sensitive = False  # DuckDB resolves identifiers case-insensitively, quoted or not

    def __init__(self, path: Path):
        import duckdb

        if not path.exists():
            raise DoctorError(f"DuckDB file not found: {path} (set KPI_DUCKDB_PATH)")
        try:
            self.con = duckdb.connect(str(path), read_only=True)
        except duckdb.Error as e:
            raise DoctorError(f"cannot open {path} read-only: {e}") from e
        self.where = f"DuckDB file {path}"

    def close(self) -> None:
        self.con.close()

    def describe(self, databases: set[str], schemas: set[str]) -> Catalog:
        cat = Catalog()
        attached = {r[0].lower() for r in self.rows("select database_name from duckdb_databases()")}
        for db in databases:
            if db.lower() not in attached:
                cat.unreachable[db] = "not attached to this DuckDB file (its catalog is the file's name)"
        for db, schema in self.rows("select catalog_name, schema_name from information_schema.schemata"):
            cat.schemas.add((db.lower(), schema.lower()))
        for rel in self.rows("select table_catalog, table_schema, table_name from information_schema.tables "
                             "where table_schema not in ('information_schema', 'pg_catalog')"):
            cat.tables[normalise(rel, False)] = rel
        wanted = sorted({s.lower() for s in schemas})
        if wanted:
            marks = ", ".join("?" for _ in wanted)
            for db, schema, table, column, data_type in self.rows(
                    "select table_catalog, table_schema, table_name, column_name, data_type "
                    f"from information_schema.columns where lower(table_schema) in ({marks})", wanted):
                columns = cat.columns.setdefault(normalise((db, schema, table), False), {})
                columns[column.lower()] = (column, data_type)
        return cat

    def rows(self, query: str, params: list[Any] | None = None) -> list[tuple]:
        return self.con.execute(query, params or []).fetchall()

    def relation_sql(self, rel: Relation) -> str:
        return ".".join(quote_duckdb(p) for p in rel)

    def stats(self, rel: Relation, loaded_at: str | None, where: str | None) -> tuple[int, Any]:
        count = self.rows(f"select count(*) from {self.relation_sql(rel)}")[0][0]
        if not loaded_at:
            return count, None
        filt = f" where {where}" if where else ""
        latest = self.rows(f"select max({quote_duckdb(loaded_at)}) from {self.relation_sql(rel)}{filt}")[0][0]
        return count, latest

    def probe(self, rel: Relation, column: str, family: str, declared: str) -> tuple[int, int]:
        """Sampled non-null values, and how many of them try_cast cannot turn into the declared type."""
        col = quote_duckdb(column)
        [(sampled, bad)] = self.rows(
            f"select count(*), count(*) filter (where try_cast(v as {cast_type(family, declared)}) is null) "
            f"from (select {col} as v from {self.relation_sql(rel)} where {col} is not null limit {SAMPLE_ROWS})")
        return sampled, bad


# PostgreSQL 15 has no pg_input_is_valid: a regex per type family says whether text would cast
PG_TEXT_PATTERNS = {
    "integer": r"^\s*[-+]?[0-9]+\s*$",
    "numeric": r"^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$",
    "float": r"^\s*([-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?|[-+]?infinity|nan)\s*$",
    "boolean": r"^\s*(t|f|true|false|y|n|yes|no|on|off|1|0)\s*$",
    "timestamp": (r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?"
                  r"\s*(z|utc|[-+][0-9]{2}(:?[0-9]{2})?)?\s*$"),
    "date": r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\s*$",
}


class PostgresWarehouse:
    engine = "postgres"
    case_sensitive = True  # dbt-postgres quotes source identifiers, so case matters

    def __init__(self) -> None:
        from kpi_layer.pg_setup import settings

        self.settings = settings()
        self.conns: dict[str, Any] = {}
        self.home = self.settings["dbname"]
        self.connection(self.home)  # fail now (exit 2) when the server cannot be reached
        s = self.settings
        self.where = f"PostgreSQL {s['user']}@{s['host']}:{s['port']}/{s['dbname']}"

    def connection(self, database: str):
        """A read-only session per database (PostgreSQL cannot query across databases)."""
        import psycopg2

        from kpi_layer.pg_setup import connect

        if database not in self.conns:
            try:
                conn = connect(self.settings, self.settings["user"], database)
            except psycopg2.OperationalError as e:
                if database == self.home:
                    raise DoctorError(f"cannot reach PostgreSQL: {str(e).strip()}") from e
                raise
            # autocommit: a failing query (permissions) must not abort the next one; readonly: the guarantee
            conn.set_session(readonly=True, autocommit=True)
            self.conns[database] = conn
        return self.conns[database]

    def close(self) -> None:
        for conn in self.conns.values():
            conn.close()

    def query(self, database: str, sql_text: Any, params: Iterable[Any] = ()) -> list[tuple]:
        with self.connection(database).cursor() as cur:
            cur.execute(sql_text, tuple(params))
            return cur.fetchall()

    def describe(self, databases: set[str], schemas: set[str]) -> Catalog:
        import psycopg2

        cat = Catalog()
        for db in sorted(databases | {self.home}):
            try:
                self.connection(db)
            except psycopg2.OperationalError as e:
                cat.unreachable[db] = str(e).strip().splitlines()[0]
                continue
            for (schema,) in self.query(db, "select schema_name from information_schema.schemata"):
                cat.schemas.add((db, schema))
            for rel in self.query(db, "select table_catalog, table_schema, table_name "
                                      "from information_schema.tables "
                                      "where table_schema not in ('information_schema', 'pg_catalog') "
                                      "and table_schema not like 'pg\\_toast%%'"):
                cat.tables[normalise(rel, True)] = rel
            for schema_, table, column, data_type, udt in self.query(
                    db, "select table_schema, table_name, column_name, data_type, udt_name "
                        "from information_schema.columns where table_schema = any(%s)", [sorted(schemas)]):
                shown = udt if data_type in ("USER-DEFINED", "ARRAY") else data_type
                cat.columns.setdefault((db, schema_, table), {})[column] = (column, shown)
        return cat

    def relation_sql(self, rel: Relation):
        from psycopg2 import sql

        return sql.SQL(".").join(sql.Identifier(p) for p in rel[1:])

    def stats(self, rel: Relation, loaded_at: str | None, where: str | None) -> tuple[int, Any]:
        from psycopg2 import sql

        count = self.query(rel[0], sql.SQL("select count(*) from {}").format(self.relation_sql(rel)))[0][0]
        if not loaded_at:
            return count, None
        filt = sql.SQL(" where " + where) if where else sql.SQL("")
        latest = self.query(rel[0], sql.SQL("select max({}) from {}{}").format(
            sql.Identifier(loaded_at), self.relation_sql(rel), filt))[0][0]
        return count, latest

    def probe(self, rel: Relation, column: str, family: str, declared: str) -> tuple[int, int]:
        from psycopg2 import sql

        pattern = PG_TEXT_PATTERNS.get(family)
        if pattern is None:
            return 0, 0
        sampled, bad = self.query(rel[0], sql.SQL(
            "select count(*), count(*) filter (where not (v::text ~* %s)) "
            "from (select {col} as v from {rel} where {col} is not null limit %s) sample").format(
            col=sql.Identifier(column), rel=self.relation_sql(rel)), [pattern, SAMPLE_ROWS])[0]
        return sampled, bad


def normalise(rel: Iterable[str], case_sensitive: bool) -> Relation:
    parts = tuple(rel)
    return parts if case_sensitive else tuple(p.lower() for p in parts)  # type: ignore[return-value]


def open_warehouse(adapter_type: str, project_dir: Path) -> DuckDBWarehouse | PostgresWarehouse:
    if adapter_type == "duckdb":
        return DuckDBWarehouse(duckdb_path(project_dir))
    if adapter_type == "postgres":
        return PostgresWarehouse()
    raise DoctorError(f"unsupported adapter {adapter_type!r} (the doctor knows duckdb and postgres)")


# ------------------------------------------------------------------------------------------------- types
TYPE_FAMILIES = {
    "string": {"varchar", "char", "character", "character varying", "text", "string", "bpchar", "uuid", "json",
               "jsonb", "citext", "name"},
    "integer": {"tinyint", "smallint", "integer", "int", "bigint", "hugeint", "int1", "int2", "int4", "int8",
                "utinyint", "usmallint", "uinteger", "ubigint", "uhugeint", "serial", "bigserial", "smallserial"},
    "numeric": {"numeric", "decimal", "number"},
    "float": {"double", "double precision", "real", "float", "float4", "float8"},
    "boolean": {"boolean", "bool"},
    "date": {"date"},
}


def type_family(data_type: str | None) -> str | None:
    """string | integer | numeric | float | boolean | timestamp | date, or None for a type not compared."""
    if not data_type:
        return None
    base = re.sub(r"\(.*?\)", "", data_type.lower()).strip()
    if base.startswith(("timestamp", "datetime")):  # with or without time zone, any precision
        return "timestamp"
    return next((family for family, names in TYPE_FAMILIES.items() if base in names), None)


NUMBERS = {"integer", "numeric", "float"}
CANONICAL_CAST = {"integer": "bigint", "numeric": "double", "float": "double", "boolean": "boolean",
                  "timestamp": "timestamp", "date": "date"}


def cast_type(family: str, declared: str) -> str:
    # the declared type comes from the project's YAML; only a plain type name goes into SQL as-is
    if re.fullmatch(r"[a-z ]+(\(\s*\d+\s*(,\s*\d+\s*)?\))?", declared.strip().lower()):
        return declared
    return CANONICAL_CAST[family]


def compatibility(declared: str, actual: str) -> str:
    """ok: casts; probe: text, may or may not cast (sample it); mismatch: will not cast."""
    want, have = type_family(declared), type_family(actual)
    if want is None or have is None or want == have or want == "string":
        return "ok"
    if want in NUMBERS and have in NUMBERS:
        return "ok"  # numeric vs bigint vs double: staging's casts convert them
    if {want, have} == {"timestamp", "date"}:
        return "ok"
    if have == "string":
        return "probe"
    return "mismatch"


# ------------------------------------------------------------------------------------------------ checks
@dataclass
class TypeIssue:
    column: str
    declared: str
    actual: str
    kind: str  # mismatch | text
    sampled: int | None = None
    failing: int | None = None

    def describe(self) -> str:
        text = f"{self.column} is {self.actual}, declared {self.declared}"
        if self.kind == "mismatch":
            return text + ": will not cast"
        if not self.sampled:
            return text + ": text, casting may fail (no values to sample)"
        if self.failing:
            return text + f": {self.failing} of {self.sampled} sampled values do not cast"
        return text + f": text, casting may fail ({self.sampled} sampled values cast)"


@dataclass
class Freshness:
    loaded_at_field: str | None
    status: str  # pass | warn | error | no rows | no column | not configured | unreadable | error reading
    latest: str | None = None
    age_hours: float | None = None
    warn_after_hours: float | None = None
    error_after_hours: float | None = None


@dataclass
class TableReport:
    family: str
    name: str
    identifier: str
    database: str
    schema: str
    optional: bool
    present: bool
    rows: int | None = None
    missing_required_columns: list[str] = field(default_factory=list)
    missing_optional_columns: list[str] = field(default_factory=list)
    type_issues: list[TypeIssue] = field(default_factory=list)
    freshness: Freshness | None = None
    error: str | None = None

    @property
    def label(self) -> str:
        return f"{self.family}.{self.name}"


def threshold_hours(rule: dict[str, Any] | None) -> float | None:
    if not rule or rule.get("count") is None or rule.get("period") is None:
        return None
    return rule["count"] * PERIOD_HOURS[rule["period"]]


def as_utc(value: Any) -> dt.datetime | None:
    """The project's raw timestamps are UTC without time zone; aware values are converted to UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    return None


def judge_freshness(table: DeclaredTable, rows: int, latest: Any, has_column: bool,
                    as_of: dt.datetime) -> Freshness:
    warn = threshold_hours((table.freshness or {}).get("warn_after"))
    error = threshold_hours((table.freshness or {}).get("error_after"))
    f = Freshness(table.loaded_at_field, "not configured", warn_after_hours=warn, error_after_hours=error)
    if not table.loaded_at_field or table.freshness is None:
        return f
    if not has_column:
        f.status = "no column"
        return f
    if rows == 0 or latest is None:
        f.status = "no rows"
        return f
    when = as_utc(latest)
    if when is None:
        f.status, f.latest = "unreadable", str(latest)
        return f
    f.latest = when.isoformat(sep=" ", timespec="minutes")
    f.age_hours = round((as_of - when).total_seconds() / 3600, 2)
    f.status = ("error" if error is not None and f.age_hours > error
                else "warn" if warn is not None and f.age_hours > warn else "pass")
    return f


def check_table(wh: Any, cat: Catalog, table: DeclaredTable, as_of: dt.datetime) -> TableReport:
    report = TableReport(table.family, table.name, table.identifier, table.database, table.schema,
                         table.optional, present=False)
    key = normalise((table.database, table.schema, table.identifier), wh.case_sensitive)
    rel = cat.tables.get(key)
    if rel is None:
        return report
    report.present = True
    actual = cat.columns.get(key, {})
    for col in table.columns:
        found = actual.get(col.name if wh.case_sensitive else col.name.lower())
        if found is None:
            (report.missing_optional_columns if col.optional else report.missing_required_columns).append(col.name)
            continue
        issue = type_issue(wh, rel, col, found)
        if issue:
            report.type_issues.append(issue)
    loaded_at = table.loaded_at_field
    loaded_at_col = actual.get(loaded_at if wh.case_sensitive else loaded_at.lower()) if loaded_at else None
    where = (table.freshness or {}).get("filter")
    try:
        rows, latest = wh.stats(rel, loaded_at_col[0] if loaded_at_col else None, where)
    except Exception as e:  # a permission or filter error on one table must not hide the others
        report.error = first_line(e)
        report.freshness = Freshness(loaded_at, "error reading")
        return report
    report.rows = rows
    report.freshness = judge_freshness(table, rows, latest, loaded_at_col is not None, as_of)
    return report


def type_issue(wh: Any, rel: Relation, col: DeclaredColumn, found: tuple[str, str]) -> TypeIssue | None:
    if not col.data_type:
        return None
    verdict = compatibility(col.data_type, found[1])
    if verdict == "ok":
        return None
    issue = TypeIssue(col.name, col.data_type, found[1], "mismatch" if verdict == "mismatch" else "text")
    if verdict == "probe":
        try:
            issue.sampled, issue.failing = wh.probe(rel, found[0], type_family(col.data_type), col.data_type)
        except Exception:  # the probe is a hint; the type difference is reported either way
            pass
    return issue


def first_line(e: BaseException) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]


# ------------------------------------------------------------------------------------------- KPI lineage
def measure_index(manifest: dict[str, Any]) -> dict[str, str]:
    """Measure name -> semantic model id (MetricFlow measure names are unique across the project)."""
    return {m["name"]: uid for uid, sm in manifest.get("semantic_models", {}).items()
            for m in sm.get("measures", [])}


def entity_index(manifest: dict[str, Any]) -> dict[str, set[str]]:
    """Entity name -> semantic models where it is the key, the ones a filter's `entity__dimension` joins to."""
    index: dict[str, set[str]] = defaultdict(set)
    for uid, sm in manifest.get("semantic_models", {}).items():
        for e in sm.get("entities", []):
            if e.get("type") in ("primary", "unique", "natural"):
                index[e["name"]].add(uid)
        if sm.get("primary_entity"):
            index[sm["primary_entity"]].add(uid)
    return index


FILTER_REF = re.compile(r"(?:Dimension|TimeDimension|Entity)\(\s*['\"]([a-z0-9_]+)['\"]")


def filter_texts(metric: dict[str, Any]) -> list[str]:
    params = metric.get("type_params") or {}
    holders = [metric, *(params.get("input_measures") or []), params.get("numerator") or {},
               params.get("denominator") or {}, *(params.get("metrics") or [])]
    texts = []
    for holder in holders:
        for w in ((holder.get("filter") or {}).get("where_filters") or []):
            texts.append(w.get("where_sql_template", ""))
    return texts


def filter_models(metric: dict[str, Any], entities: dict[str, set[str]], manifest: dict[str, Any]) -> set[str]:
    """Semantic models a metric's filters join to (a filter on another model's dimension needs that model)."""
    found: set[str] = set()
    for text in filter_texts(metric):
        for ref in FILTER_REF.findall(text):
            if "__" not in ref:
                continue  # a dimension of the metric's own semantic model
            *path, dim = ref.split("__")
            for entity in path:
                for uid in entities.get(entity, ()):
                    names = {d["name"] for d in manifest["semantic_models"][uid].get("dimensions", [])}
                    names |= {e["name"] for e in manifest["semantic_models"][uid].get("entities", [])}
                    if dim in names:
                        found.add(uid)
    return found


def metric_semantic_models(manifest: dict[str, Any], metric_id: str, measures: dict[str, str],
                           entities: dict[str, set[str]], seen: set[str] | None = None) -> set[str]:
    """Semantic models behind a metric, through its measures, input metrics (ratio, derived) and filters."""
    seen = seen if seen is not None else set()
    if metric_id in seen:
        return set()
    seen.add(metric_id)
    metric = manifest["metrics"][metric_id]
    found = {measures[m["name"]] for m in (metric.get("type_params") or {}).get("input_measures") or []
             if m["name"] in measures}
    for dep in metric.get("depends_on", {}).get("nodes", []):
        if dep.startswith("semantic_model."):
            found.add(dep)
        elif dep in manifest["metrics"]:
            found |= metric_semantic_models(manifest, dep, measures, entities, seen)
    return found | filter_models(metric, entities, manifest)


def upstream_sources(manifest: dict[str, Any], start: Iterable[str]) -> set[str]:
    parents = manifest.get("parent_map", {})
    stack, seen = list(start), set()
    while stack:
        node = stack.pop()
        for parent in parents.get(node, []):
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return {n for n in seen if n.startswith("source.")}


def metric_lineage(manifest: dict[str, Any]) -> dict[str, set[str]]:
    """Enabled metric name -> the source table ids it reads, via semantic model -> model -> parent_map."""
    measures, entities = measure_index(manifest), entity_index(manifest)
    out = {}
    for uid, metric in manifest.get("metrics", {}).items():
        models = metric_semantic_models(manifest, uid, measures, entities)
        nodes = {n for sm in models
                 for n in manifest["semantic_models"][sm].get("depends_on", {}).get("nodes", [])}
        out[metric["name"]] = upstream_sources(manifest, nodes)
    return out


SWITCH_PATTERNS = (re.compile(r"using_([a-z0-9_]+)"), re.compile(r"using_families\(\s*\[([^\]]*)\]"))


def switched_families(text: str) -> set[str]:
    """Families named in an enabled config: var('using_x') or kpi_layer.using_families(['x', 'y'])."""
    names = set(SWITCH_PATTERNS[0].findall(text))
    for group in SWITCH_PATTERNS[1].findall(text):
        names |= set(re.findall(r"['\"]([a-z0-9_]+)['\"]", group))
    return {n for n in names if n != "families"}


def named_lineage_families(manifest: dict[str, Any], metric: dict[str, Any]) -> set[str]:
    """Source families a disabled metric reads. Disabled nodes are not linked (empty depends_on), so follow
    names instead: measures -> semantic model -> ref'd model -> its refs and sources, enabled or disabled."""
    sms = list(manifest.get("semantic_models", {}).values()) + disabled_nodes(manifest, "semantic_model")
    by_measure = {m["name"]: sm for sm in sms for m in sm.get("measures", [])}
    metrics = {m["name"]: m
               for m in list(manifest.get("metrics", {}).values()) + disabled_nodes(manifest, "metric")}
    models: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for n in list(manifest.get("nodes", {}).values()) + disabled_nodes(manifest, "model"):
        models[n["name"]].append(n)

    families: set[str] = set()
    seen: set[str] = set()
    stack: list[tuple[str, Any]] = [("metric", metric)]
    while stack:
        kind, node = stack.pop()
        key = f"{kind}:{node.get('unique_id', node.get('name'))}:{id(node)}"
        if key in seen:
            continue
        seen.add(key)
        if kind == "metric":
            params = node.get("type_params") or {}
            names = [m["name"] for m in params.get("input_measures") or []]
            names += [params.get("measure", {}).get("name")] if params.get("measure") else []
            stack += [("sm", by_measure[n]) for n in names if n in by_measure]
            inputs = [params.get("numerator"), params.get("denominator"), *(params.get("metrics") or [])]
            stack += [("metric", metrics[i["name"]]) for i in inputs if i and i.get("name") in metrics]
        else:
            refs = [r["name"] if isinstance(r, dict) else r[-1] for r in node.get("refs") or []]
            stack += [("model", m) for r in refs for m in models.get(r, [])]
            families |= {s[0] for s in node.get("sources") or []}
            families |= {d.split(".")[2] for d in (node.get("depends_on") or {}).get("nodes", [])
                         if d.startswith("source.")}
    return families


@lru_cache(maxsize=None)
def yaml_entries(path: Path) -> dict[str, dict[str, Any]]:
    """Name -> entry of a property file's metrics and semantic models (read once: PyYAML is slow)."""
    try:
        doc = yaml.load(path.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    except (OSError, yaml.YAMLError):
        return {}
    return {e["name"]: e for section in ("metrics", "semantic_models") for e in doc.get(section) or []
            if isinstance(e, dict) and "name" in e}


def yaml_config_text(project_dir: Path | None, node: dict[str, Any]) -> str:
    """The enabled config as written in the node's YAML file: dbt stores a property file's config rendered
    (enabled: false), so the family switch it named is only in the file."""
    path = project_dir / node.get("original_file_path", "") if project_dir else None
    if path is None or path.suffix not in (".yml", ".yaml") or not path.is_file():
        return ""
    return json.dumps((yaml_entries(path).get(node.get("name", "")) or {}).get("config") or {})


def off_families_of_disabled(manifest: dict[str, Any], metric: dict[str, Any], switches: dict[str, bool],
                             project_dir: Path | None = None) -> list[str]:
    """The switched-off families that disabled a metric: the ones its enabled config names (dbt_project.yml or
    its YAML file), else the ones its lineage reads; empty when neither says."""
    off = {f for f, on in switches.items() if not on}
    candidates = (lambda: switched_families(json.dumps(metric.get("unrendered_config"))),
                  lambda: switched_families(yaml_config_text(project_dir, metric)),
                  lambda: named_lineage_families(manifest, metric))
    for find in candidates:  # cheapest first
        named = find() & off
        if named:
            return sorted(named)
    return []


@dataclass
class KpiReport:
    kpi_id: str
    status: str  # computable | off | blocked
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def off_reason(families: list[str], off: Iterable[str] = ()) -> str:
    if not families:
        return "off: disabled in the dbt project" + (f" (families off: {', '.join(off)})" if off else "")
    names = ", ".join(f"using_{f}" for f in families)
    return f"off: {names} {'is' if len(families) == 1 else 'are'} false"


def assess_kpis(manifest: dict[str, Any], switches: dict[str, bool], tables: dict[str, TableReport],
                project_dir: Path | None = None) -> list[KpiReport]:
    kpis: dict[str, KpiReport] = {}
    for name, source_ids in metric_lineage(manifest).items():
        kpis[name] = assess_kpi(name, source_ids, manifest, switches, tables)
    off = [f for f, on in switches.items() if not on]
    for metric in disabled_nodes(manifest, "metric"):
        if metric["name"] not in kpis:
            families = off_families_of_disabled(manifest, metric, switches, project_dir)
            kpis[metric["name"]] = KpiReport(metric["name"], "off", [off_reason(families, off)])
    # KPI ids are the registry's (a composite KPI's parts are <id>_<part>); other metrics are helpers
    ids = registry.kpi_ids()
    return [kpis[k] for k in sorted(kpis) if k in ids or any(k.startswith(f"{i}_") for i in ids)]


def assess_kpi(name: str, source_ids: set[str], manifest: dict[str, Any], switches: dict[str, bool],
               tables: dict[str, TableReport]) -> KpiReport:
    kpi = KpiReport(name, "computable")
    # while a family's sources are still enabled in dbt but its var is false, the metric inherits the switch
    off = sorted({manifest["sources"][s]["source_name"] for s in source_ids
                  if not switches.get(manifest["sources"][s]["source_name"], True)})
    if off:
        kpi.status, kpi.reasons = "off", [off_reason(off)]
        return kpi
    for sid in sorted(source_ids):
        t = tables.get(sid)
        if t is None:
            continue
        where = f"{t.database}.{t.schema}.{t.identifier}"
        if not t.present and not t.optional:
            kpi.reasons.append(f"needs {t.label}, missing ({where})")
        elif not t.present:
            kpi.notes.append(f"reads {t.label} as empty")
        elif t.missing_required_columns:
            kpi.reasons.append(f"needs {t.label} column(s) {', '.join(t.missing_required_columns)}, missing")
    if kpi.reasons:
        kpi.status = "blocked"
    return kpi


# ------------------------------------------------------------------------------------------------ report
@dataclass
class FamilyReport:
    family: str
    enabled: bool
    locations: list[str]
    tables: list[TableReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fix: str | None = None


@dataclass
class Report:
    engine: str
    where: str
    as_of: str
    as_of_source: str  # now | --as-of
    families: list[FamilyReport]
    kpis: list[KpiReport]
    unreachable: dict[str, str]

    @property
    def missing_required(self) -> list[TableReport]:
        return [t for f in self.families for t in f.tables if not t.present and not t.optional]

    @property
    def missing_required_columns(self) -> list[TableReport]:
        return [t for f in self.families for t in f.tables if t.present and t.missing_required_columns]

    @property
    def exit_code(self) -> int:
        return 1 if self.missing_required or self.missing_required_columns else 0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["summary"] = summary(self)
        data["exit_code"] = self.exit_code
        return data


def family_fix(family: str, report: FamilyReport, cat: Catalog, case_sensitive: bool) -> str | None:
    missing = [t for t in report.tables if not t.present and not t.optional]
    if not missing:
        return None
    hint = (f"set the vars {family}_schema (and {family}_database when it lives in another database) to where "
            f"your {family} tables are, or using_{family}: false to switch the family off")
    elsewhere = where_else(missing, cat, case_sensitive)
    if elsewhere:
        db, schema, n = elsewhere
        hint += (f"; {n} of the {len(missing)} missing tables exist in {db}.{schema}: "
                 f"--vars '{{{family}_schema: {schema}}}'")
    return hint


def where_else(missing: list[TableReport], cat: Catalog, case_sensitive: bool) -> tuple[str, str, int] | None:
    """The schema elsewhere in the warehouse holding most of the missing tables (a Fivetran sync's own schema)."""
    wanted = {t.identifier if case_sensitive else t.identifier.lower() for t in missing}
    looked = {normalise((t.database, t.schema), case_sensitive) for t in missing}
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for (db, schema, table), rel in cat.tables.items():
        if table in wanted and (db, schema) not in looked:
            counts[(rel[0], rel[1])] += 1
    if not counts:
        return None
    (db, schema), n = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    return db, schema, n


def build_report(manifest: dict[str, Any], variables: dict[str, Any], wh: Any, as_of: dt.datetime,
                 as_of_source: str, project_dir: Path | None = None) -> Report:
    switches = family_switches(manifest, variables)
    declared = [declared_table(n) for n in manifest["sources"].values()]
    live = [t for t in declared if switches.get(t.family, True)]
    cat = wh.describe({t.database for t in live}, {t.schema for t in live})
    tables: dict[str, TableReport] = {}
    families = []
    for family, on in switches.items():
        mine = sorted((t for t in declared if t.family == family), key=lambda t: t.name)
        fr = FamilyReport(family, on, sorted({t.location for t in mine}))
        if on:
            for t in mine:
                if t.database in cat.unreachable:
                    tables[t.unique_id] = TableReport(t.family, t.name, t.identifier, t.database, t.schema,
                                                      t.optional, present=False, error=cat.unreachable[t.database])
                else:
                    tables[t.unique_id] = check_table(wh, cat, t, as_of)
                fr.tables.append(tables[t.unique_id])
            if mine and not any(normalise((t.database, t.schema), wh.case_sensitive) in cat.schemas for t in mine):
                fr.notes.append(f"schema {', '.join(fr.locations)} does not exist")
            fr.fix = family_fix(family, fr, cat, wh.case_sensitive)
        elif mine:
            # the var says off but dbt still parses the family's sources: the project does not switch them yet
            fr.notes.append(f"using_{family} is false but dbt still enables {len(mine)} of its sources")
        families.append(fr)
    kpis = assess_kpis(manifest, switches, tables, project_dir)
    return Report(wh.engine, wh.where, as_of.isoformat(sep=" ", timespec="minutes") + " UTC", as_of_source,
                  families, kpis, cat.unreachable)


def summary(r: Report) -> dict[str, Any]:
    on = [f.family for f in r.families if f.enabled]
    tables = [t for f in r.families for t in f.tables]
    fresh = defaultdict(int)
    for t in tables:
        if t.freshness:
            fresh[t.freshness.status] += 1
    computable = [k for k in r.kpis if k.status == "computable"]
    return {
        "families_checked": on,
        "families_off": [f.family for f in r.families if not f.enabled],
        "tables_declared": len(tables),
        "tables_present": sum(t.present for t in tables),
        "required_tables_missing": [t.label for t in r.missing_required],
        "optional_tables_missing": [t.label for t in tables if not t.present and t.optional],
        "required_columns_missing": sum(len(t.missing_required_columns) for t in tables),
        "optional_columns_missing": sum(len(t.missing_optional_columns) for t in tables),
        "type_warnings": sum(len(t.type_issues) for t in tables),
        "freshness": dict(sorted(fresh.items())),
        "kpis_total": len(r.kpis),
        "kpis_computable": len(computable),
    }


# ---------------------------------------------------------------------------------------------- rendering
def hours_text(h: float | None) -> str:
    if h is None:
        return "?"
    return f"{h:.1f} h" if abs(h) < 48 else f"{h / 24:.1f} d"


def freshness_text(f: Freshness | None) -> str:
    if f is None:
        return ""
    if f.status == "not configured":
        return "freshness not configured"
    if f.status == "no column":
        return f"no {f.loaded_at_field} column: freshness not checked"
    if f.status == "no rows":
        return "empty: freshness not checked"
    if f.status in ("unreadable", "error reading"):
        return f"freshness: {f.loaded_at_field} {f.status}"
    if f.age_hours is not None and f.age_hours < 0:
        return f"{f.loaded_at_field} {f.latest}: after the as-of time"
    age = f"{f.loaded_at_field} {f.latest}, {hours_text(f.age_hours)} old"
    if f.status == "pass":
        return f"fresh: {age}"
    limit = f.error_after_hours if f.status == "error" else f.warn_after_hours
    return f"STALE {f.status}: {age} (> {limit:g} h)"


def table_lines(t: TableReport) -> list[str]:
    name = t.name if t.identifier == t.name else f"{t.name} ({t.identifier})"
    if not t.present:
        if t.optional:
            return [f"  absent   {name}: optional, read as empty"]
        why = f": {t.error}" if t.error else ""
        return [f"  MISSING  {name}: required{why}"]
    status = "ERROR" if t.error else "COLUMNS" if t.missing_required_columns else "ok"
    rows = f"{t.rows:>11,} rows" if t.rows is not None else f"{'?':>11} rows"
    lines = [f"  {status:<8} {name:<30}{rows}  {t.error or freshness_text(t.freshness)}"]
    if t.missing_required_columns:
        lines.append(f"           missing required columns: {', '.join(t.missing_required_columns)}")
    if t.missing_optional_columns:
        lines.append("           missing optional columns (read as null): "
                     + ", ".join(t.missing_optional_columns))
    lines += [f"           type: {i.describe()}" for i in t.type_issues]
    return lines


def wrap(indent: str, items: list[str], width: int = 110) -> list[str]:
    return textwrap.wrap(", ".join(items), width=width, initial_indent=indent, subsequent_indent=indent,
                         break_on_hyphens=False, break_long_words=False)


def render_text(r: Report) -> str:
    when = "now" if r.as_of_source == "now" else "--as-of"
    lines = [f"kpi_layer doctor: {r.where}; freshness as of {r.as_of} ({when})", ""]
    for f in r.families:
        if not f.enabled:
            lines.append(f"{f.family}: off (using_{f.family} is false)"
                         + (f"; note: {'; '.join(f.notes)}" if f.notes else ""))
            continue
        lines.append(f"{f.family}: looked in {', '.join(f.locations) or '(no sources declared)'}")
        lines += [f"  note: {n}" for n in f.notes]
        for t in f.tables:
            lines += table_lines(t)
        if f.fix:
            lines += textwrap.wrap(f.fix, width=110, initial_indent="  fix: ", subsequent_indent="       ")
    lines += ["", *render_summary(r)]
    return "\n".join(lines)


def grouped(kpis: list[KpiReport], attr: str) -> dict[str, list[str]]:
    """Reason (or note) -> the KPI ids it applies to: one line per reason instead of one per KPI."""
    groups: dict[str, list[str]] = defaultdict(list)
    for k in kpis:
        for text in getattr(k, attr):
            groups[text].append(k.kpi_id)
    return groups


FRESHNESS_WORDS = {"pass": "fresh", "warn": "stale (warn)", "error": "stale (error)"}


def render_summary(r: Report) -> list[str]:
    s = summary(r)
    lines = [
        "Summary",
        f"  families checked: {', '.join(s['families_checked']) or 'none'}"
        + (f" (off: {', '.join(s['families_off'])})" if s["families_off"] else ""),
        f"  tables: {s['tables_present']} of {s['tables_declared']} present; required missing: "
        f"{', '.join(s['required_tables_missing']) or 'none'}; optional missing (read as empty): "
        f"{', '.join(s['optional_tables_missing']) or 'none'}",
        f"  columns: {s['required_columns_missing']} required missing, {s['optional_columns_missing']} optional "
        f"missing (read as null), {s['type_warnings']} type warnings",
        "  freshness: " + (", ".join(f"{n} {FRESHNESS_WORDS.get(k, k)}" for k, n in s["freshness"].items())
                           or "nothing checked"),
        f"  KPIs computable: {s['kpis_computable']} of {s['kpis_total']}",
    ]
    for note, ids in sorted(grouped([k for k in r.kpis if k.status == "computable"], "notes").items()):
        lines += [f"    computable, {note}:", *wrap("      ", ids)]
    blocked = grouped(r.kpis, "reasons")
    if blocked:
        lines.append(f"  cannot be computed: {s['kpis_total'] - s['kpis_computable']}")
        for reason in sorted(blocked, key=lambda x: (x.startswith("off"), x)):
            lines += [f"    {reason}:", *wrap("      ", blocked[reason])]
    lines.append("  result: " + ("FAIL, required tables or columns are missing" if r.exit_code
                                 else "ok, every required table and column is there"))
    return lines


# ------------------------------------------------------------------------------------------------- main
def parse_as_of(text: str | None) -> tuple[dt.datetime, str]:
    """A date means its end (the next midnight, UTC): data loaded during that day is not in the future."""
    if not text:
        return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0), "now"
    try:
        day = dt.date.fromisoformat(text)
        return dt.datetime.combine(day + dt.timedelta(days=1), dt.time()), "--as-of"
    except ValueError:
        when = as_utc(text)
        if when is None:
            raise argparse.ArgumentTypeError(f"--as-of: not a date or timestamp: {text!r}") from None
        return when, "--as-of"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m kpi_layer.doctor", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--target", choices=["duckdb", "postgres"],
                   help="profile target (default: KPI_TARGET, else duckdb)")
    p.add_argument("--vars", help="dbt vars as YAML, passed to dbt parse (e.g. '{stripe_schema: stripe}')")
    p.add_argument("--as-of", help="judge freshness at the end of this date (YYYY-MM-DD, UTC) instead of now")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--manifest", type=Path, help="read this manifest.json instead of running dbt parse")
    p.add_argument("--target-path", type=Path, help="where dbt parse writes (default: <project>/target/doctor)")
    p.add_argument("--project-dir", type=Path, default=PROJECT_ROOT, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    try:
        as_of, as_of_source = parse_as_of(a.as_of)
    except argparse.ArgumentTypeError as e:
        p.error(str(e))
    try:
        report = run(a.project_dir, a.manifest, a.target_path, a.vars, a.target, as_of, as_of_source)
    except DoctorError as e:
        print(f"doctor: {e}", file=sys.stderr)
        return 2
    print(json.dumps(report.to_dict(), indent=2, default=str) if a.json else render_text(report))
    return report.exit_code


def run(project_dir: Path, manifest_path: Path | None, target_path: Path | None, cli_vars: str | None,
        target: str | None, as_of: dt.datetime, as_of_source: str) -> Report:
    if manifest_path is None:
        target_path = target_path or project_dir / "target" / "doctor"
        manifest_path = parse_project(project_dir, target_path, cli_vars, target)
    manifest = json.loads(manifest_path.read_text())
    wh = open_warehouse(manifest["metadata"].get("adapter_type", ""), project_dir)
    try:
        return build_report(manifest, project_vars(project_dir, cli_vars), wh, as_of, as_of_source, project_dir)
    finally:
        wh.close()


if __name__ == "__main__":
    sys.exit(main())
