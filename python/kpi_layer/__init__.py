"""Python companion of the kpi_layer dbt project: demo-data generator, loaders, validation and reports."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

__all__ = ["PROJECT_ROOT"]
