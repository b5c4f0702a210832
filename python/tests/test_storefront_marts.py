"""Static checks of the storefront (commerce) marts: every commerce KPI of the registry (kpi_registry.yml) is named by a mart, every
mart and intermediate SQL file is documented, and every documented column exists in its model's final select
list or at least in its SQL (a renamed column would leave a stale description behind)."""

from pathlib import Path

import pytest
import yaml

from kpi_layer import registry

ROOT = Path(__file__).resolve().parents[2]
MARTS = ROOT / "models" / "marts" / "commerce"
INTERMEDIATE = ROOT / "models" / "intermediate" / "commerce"


def _models(folder: Path) -> dict[str, dict]:
    out = {}
    for path in folder.glob("_*.yml"):
        doc = yaml.safe_load(path.read_text())
        for model in doc.get("models", []):
            out[model["name"]] = model
    return out


def _unit_tested(folder: Path) -> set[str]:
    tested = set()
    for path in folder.glob("_*.yml"):
        for test in yaml.safe_load(path.read_text()).get("unit_tests", []):
            tested.add(test["model"])
    return tested


@pytest.mark.parametrize("folder", [MARTS, INTERMEDIATE], ids=["marts", "intermediate"])
def test_storefront_models_and_columns_are_documented(folder):
    models = _models(folder)
    sql_files = {p.stem for p in folder.glob("*.sql")}
    assert sql_files == set(models), sql_files ^ set(models)
    for name, model in models.items():
        assert model.get("description", "").strip(), name
        sql = (folder / f"{name}.sql").read_text()
        for column in model.get("columns", []):
            assert column.get("description", "").strip(), f"{name}.{column['name']}"
            assert column["name"] in sql, f"{name}.{column['name']} is documented but not in the SQL"


def test_storefront_every_model_has_a_unit_test():
    for folder in (MARTS, INTERMEDIATE):
        missing = {p.stem for p in folder.glob("*.sql")} - _unit_tested(folder)
        assert not missing, missing


def test_storefront_every_commerce_kpi_is_named_by_a_mart():
    kpis = [k["id"] for k in registry.kpis("commerce")]
    assert kpis
    described = " ".join(m["description"] for m in _models(MARTS).values())
    missing = [kpi for kpi in kpis if kpi not in described]
    assert not missing, missing
