"""The project's KPI registry (kpi_registry.yml at the repository root): every KPI of the specification with its
id, module, grain, unit, formula, target and alert levels. Tests and tools read it from here, never from a file
outside the repository."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from . import PROJECT_ROOT

REGISTRY = PROJECT_ROOT / "kpi_registry.yml"


@lru_cache(maxsize=None)
def load(path: Path = REGISTRY) -> dict:
    return yaml.safe_load(path.read_text())


def kpis(module: str | None = None) -> list[dict]:
    """Every KPI of the registry, or those of one module."""
    return [k for k in load()["kpis"] if module is None or k.get("module") == module]


def kpi_ids() -> set[str]:
    return {k["id"] for k in kpis()}
