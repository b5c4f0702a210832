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
