"""The raw-table contract (sources YAML) is complete and well-typed, and the committed seeds follow it."""

import csv

from kpi_layer import PROJECT_ROOT, contract
from kpi_layer.generator.core import arrow_type

ALLOWED = ("varchar", "bigint", "boolean", "timestamp", "date", "double precision", "numeric")


def test_every_raw_column_has_a_known_type():
    tables = contract.load_contract()
    assert tables, "no raw tables declared"
    for (source, name), raw in tables.items():
        for col in raw.columns:
            assert col.data_type.startswith(ALLOWED), f"{source}.{name}.{col.name}: {col.data_type}"
            arrow_type(col.data_type)


def test_committed_seeds_have_exactly_the_contract_columns():
    for (source, name), raw in contract.load_contract().items():
        path = PROJECT_ROOT / "seeds" / "raw" / source / f"{raw.seed_name}.csv"
        if not path.exists():
            continue
        with open(path, newline="", encoding="utf-8") as f:
            header = next(csv.reader(f))
        assert header == raw.column_names, f"{path} header differs from the contract"
