"""The bundled demo report: the real Fengdu 2020 招商引资工作经费 self-evaluation.

The resource is read-only; the workspace receives a copy of it on first start, so edits
never touch the bundled file.
"""

from __future__ import annotations

import json

from .domain.model import Report
from .domain.serialize import from_data
from .resources import resource_path

DEMO_FILE = ("demo", "fengdu-2020.json")
#: The demo's report id (a copy made by 复制为新报告 gets a new one and loses the banner).
DEMO_REPORT_ID = "f3d1c0de2020f3d1c0de2020f3d1c0de"


def load_demo() -> Report:
    """A fresh copy of the demo report (same report_id every time)."""
    with resource_path(*DEMO_FILE).open(encoding="utf-8") as handle:
        return from_data(json.load(handle))
