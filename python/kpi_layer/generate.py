"""Command line: python -m kpi_layer.generate --scale demo --format seeds --out seeds/raw"""

from __future__ import annotations

import argparse
import sys
import time

from .generator import DOMAINS, generate


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--scale", default="demo", help="tiny | demo | s | m | l")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--fault-rate", type=float, default=0.01, help="share of rows given a labelled fault")
    p.add_argument("--format", choices=["seeds", "parquet"], default="seeds")
    p.add_argument("--out", default="seeds/raw")
    p.add_argument("--manifest", default=None, help="fault manifest path (default <out>/_fault_manifest.tsv)")
    p.add_argument("--domains", default=",".join(DOMAINS))
    a = p.parse_args(argv)
    t0 = time.perf_counter()
    counts = generate(a.scale, a.seed, a.fault_rate, a.out, "csv" if a.format == "seeds" else "parquet",
                      a.manifest, tuple(d for d in a.domains.split(",") if d))
    total = sum(counts.values())
    for (source, table), n in sorted(counts.items()):
        print(f"{source}.{table}: {n}")
    print(f"{len(counts)} tables, {total} rows in {time.perf_counter() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
