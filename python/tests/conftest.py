import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python"))
os.environ.setdefault("DBT_PROFILES_DIR", str(ROOT))
# dbt runs from several test processes at once (make test's lanes, pytest's workers): one log folder each, so
# no two processes append to, or rotate, the same dbt.log (a worker sets PYTEST_XDIST_WORKER before this runs)
os.environ["DBT_LOG_PATH"] = str(ROOT / "logs" / f"pytest-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}")


# The end-to-end modules that take minutes, longest first. pytest-xdist (--dist loadfile) hands out whole
# modules in collection order, so the longest start first and the short ones fill in around them; collected
# alphabetically, the longest (the families subsets) started last and ran alone at the end.
LONGEST_FIRST = ("test_source_families.py", "test_incremental_streams.py", "test_bad_input.py",
                 "test_fault_accounting.py", "test_real_sync.py", "test_doctor.py")


def pytest_collection_modifyitems(config, items):
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))
