"""The raw-table contract: the sources YAML under models/staging/<source>/ is the one definition of every raw
table (name, columns, loader data types). The generator writes exactly these columns and the loaders create
tables of exactly these types, so data, loaders and staging cannot drift apart."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from . import PROJECT_ROOT

SOURCES = ("stripe", "marketplace", "storefront", "tutoring", "product", "ops")


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str


@dataclass(frozen=True)
class RawTable:
    source: str
    name: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def seed_name(self) -> str:
        return f"{self.source}__{self.name}"


def sources_file(source: str, root: Path = PROJECT_ROOT) -> Path:
    return root / "models" / "staging" / source / f"_{source}__sources.yml"


@lru_cache(maxsize=None)
def load_contract(root: Path = PROJECT_ROOT) -> dict[tuple[str, str], RawTable]:
    """Every raw table declared in the sources YAML, keyed by (source, table)."""
    tables: dict[tuple[str, str], RawTable] = {}
    for source in SOURCES:
        path = sources_file(source, root)
        if not path.exists():
            continue
        doc = yaml.safe_load(path.read_text())
        for src in doc.get("sources", []):
            for table in src.get("tables", []):
                name = table.get("identifier", table["name"])
                cols = tuple(
                    Column(c["name"], c.get("data_type", "varchar")) for c in table.get("columns", [])
                )
                if not cols:
                    raise ValueError(f"{path}: table {name} declares no columns")
                tables[(src["name"], name)] = RawTable(src["name"], name, cols)
    return tables


def table(source: str, name: str) -> RawTable:
    try:
        return load_contract()[(source, name)]
    except KeyError:
        raise KeyError(f"raw table {source}.{name} is not declared in {sources_file(source)}") from None
