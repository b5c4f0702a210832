"""What the end-to-end tests share about running dbt."""

from __future__ import annotations

import sys
from pathlib import Path

DBT = str(Path(sys.executable).with_name("dbt"))

# A scenario build (a subset of the families, bad input, a real sync, injected faults) checks what the data does to
# the models and their data tests. Unit tests read no data: make test's own builds run every one of them on both
# warehouses (and test_unit_tests_pin_vars once more under a user's vars), so a scenario build leaves them out.
NO_UNIT_TESTS = "test_type:unit"
SCENARIO_EXCLUDE = ["path:seeds/raw", "tag:threshold", NO_UNIT_TESTS]
