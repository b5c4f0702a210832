import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python"))
os.environ.setdefault("DBT_PROFILES_DIR", str(ROOT))
# dbt runs from several test processes at once (make test's lanes, pytest's workers): one log folder each, so
# no two processes append to, or rotate, the same dbt.log (a worker sets PYTEST_XDIST_WORKER before this runs)
os.environ["DBT_LOG_PATH"] = str(ROOT / "logs" / f"pytest-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}")
