"""Ops (seeds 000, 002, 003): deployments, ... as the app's log shipper lands them."""

from __future__ import annotations

from datetime import timedelta

from .core import Context

SERVICES = ["api", "web", "redirector", "worker"]


def _iso(ts, rng) -> tuple[str, bool]:
    """ISO-8601 text; now and then written with a +02:00 offset (the same instant), as some emitters do."""
    if rng.random() < 0.05:
        return (ts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S+02:00"), True
    return ts.strftime("%Y-%m-%d %H:%M:%S"), False


def deployments(ctx: Context) -> None:
    rng = ctx.rng("ops", "deployments")
    n = max(20, ctx.days * 2)
    for ts in ctx.sample_times(rng, n):
        from .core import to_datetime

        deployed_at = to_datetime(ts)
        deployment_id = ctx.next_id("dep")
        roll = rng.random()
        status = "rolled_back" if roll < 0.04 else ("failed" if roll < 0.06 else "succeeded")
        rolled_back_at = deployed_at + timedelta(minutes=int(rng.integers(5, 90))) if status == "rolled_back" else None
        text, with_offset = _iso(deployed_at, rng)
        row = {
            "deployment_id": deployment_id,
            "service": SERVICES[int(rng.integers(len(SERVICES)))],
            "environment": "production",
            "deployed_at": text,
            "status": status,
            "rolled_back_at": rolled_back_at.strftime("%Y-%m-%d %H:%M:%S") if rolled_back_at else None,
            "_loaded_at": deployed_at + timedelta(minutes=int(rng.integers(1, 30))),
        }
        if ctx.faults.roll(0.5):
            row["deployed_at"] = "not-a-timestamp"
            ctx.sink("ops", "deployments").write(row)
            ctx.faults.record("ops", "deployments", "malformed_value", deployment_id)
            continue
        fault = ctx.emit("ops", "deployments", row, key="deployment_id", loaded_at="_loaded_at")
        if with_offset and fault is None:
            ctx.faults.record("ops", "deployments", "tz_offset", deployment_id)


def generate(ctx: Context) -> None:
    deployments(ctx)
