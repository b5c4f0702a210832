"""Deterministic demo-data generator: one coherent fictional company across every raw source."""

from __future__ import annotations

import importlib
from pathlib import Path

from .core import Context, write_seeds_yaml

# Domains make the business decisions and register payments and subscriptions; stripe renders them, so it
# runs last. A domain module exposes generate(ctx).
DOMAINS = ("marketplace", "storefront", "tutoring", "product", "ops", "stripe")


def generate(scale: str = "demo", seed: int = 42, fault_rate: float = 0.01, out_dir: Path | str = "seeds/raw",
             fmt: str = "csv", manifest: Path | str | None = None,
             domains: tuple[str, ...] = DOMAINS) -> dict[tuple[str, str], int]:
    """Generate every raw table; return rows written per (source, table).

    fmt='csv' writes dbt seeds (plus their _raw__seeds.yml); fmt='parquet' writes one Parquet file per table
    for the loaders. The fault manifest (one row per injected fault, with the expected staging outcome) goes
    to `manifest`, by default <out_dir>/_fault_manifest.tsv.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    ctx = Context(scale, seed, fault_rate, out, "csv" if fmt == "csv" else "parquet")
    for name in domains:
        module = importlib.import_module(f"{__name__}.{name}")
        module.generate(ctx)
    counts = ctx.close()
    if ctx.fmt == "csv":
        write_seeds_yaml(counts, out / "_raw__seeds.yml")
    ctx.faults.write_manifest(Path(manifest) if manifest else out / "_fault_manifest.tsv")
    return counts
