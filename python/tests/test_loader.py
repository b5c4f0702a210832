"""The loaders land generated Parquet in DuckDB and in a real PostgreSQL server with the contract's types."""

from __future__ import annotations

import duckdb
import pytest

from kpi_layer import contract
from kpi_layer.generator import generate
from kpi_layer.loader import load_duckdb, load_postgres


@pytest.fixture(scope="module")
def parquet(tmp_path_factory):
    out = tmp_path_factory.mktemp("parquet")
    counts = generate("tiny", seed=11, fault_rate=0.02, out_dir=out, fmt="parquet")
    return out, counts


def test_duckdb_loader_lands_every_row_with_contract_types(parquet, tmp_path):
    out, counts = parquet
    db = tmp_path / "loaded.duckdb"
    loaded = load_duckdb(out, str(db))
    assert loaded == {f"main_raw_{s}.{t}": n for (s, t), n in counts.items()}
    con = duckdb.connect(str(db), read_only=True)
    for (source, table), _ in counts.items():
        types = dict(con.execute("select column_name, data_type from information_schema.columns "
                                 "where table_schema = ? and table_name = ?", [f"main_raw_{source}", table]).fetchall())
        for col in contract.table(source, table).columns:
            assert col.name in types


def test_postgres_loader_lands_every_row(parquet, monkeypatch):
    out, counts = parquet
    monkeypatch.setenv("KPI_PG_SCHEMA", "kpi_loader")
    from kpi_layer.pg_setup import ensure

    ensure(reset_schemas=True)
    loaded = load_postgres(out, prefix="kpi_loader")
    assert loaded == {f"kpi_loader_raw_{s}.{t}": n for (s, t), n in counts.items()}


def test_duckdb_seed_loader_lands_the_chosen_families_as_dbt_seed_would(tmp_path):
    """The demo CSVs COPYed into DuckDB (the families test loads its subsets this way): only the families asked
    for, every CSV row, the contract's types, an empty cell null."""
    import csv

    from kpi_layer import PROJECT_ROOT
    from kpi_layer.loader import load_duckdb_seeds

    seeds = PROJECT_ROOT / "seeds" / "raw"
    db = tmp_path / "seeded.duckdb"
    loaded = load_duckdb_seeds(seeds, str(db), families=("stripe", "ops"))
    expected = {}
    for path in sorted(seeds.glob("*/*.csv")):
        source, table = path.stem.split("__", 1)
        if source in ("stripe", "ops"):
            with open(path, newline="", encoding="utf-8") as f:
                expected[f"main_raw_{source}.{table}"] = sum(1 for _ in csv.reader(f)) - 1
    assert loaded == expected
    con = duckdb.connect(str(db), read_only=True)
    declared = {(source, c.name): c.data_type.lower() for source, table in [("stripe", "charge")]
                for c in contract.table(source, table).columns}
    landed = dict(((("stripe", name), dtype.lower()) for name, dtype in con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'main_raw_stripe' and table_name = 'charge'").fetchall()))
    aliases = {"varchar": "varchar", "text": "varchar", "bigint": "bigint", "boolean": "boolean",
               "timestamp": "timestamp", "double": "double", "double precision": "double", "integer": "integer"}
    assert {k: aliases.get(v, v) for k, v in declared.items()} == landed
    empty = con.execute("select count(*) from main_raw_stripe.charge where failure_code = ''").fetchone()[0]
    assert empty == 0
    con.close()
