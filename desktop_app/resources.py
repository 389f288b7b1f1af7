"""resource_path(): the one place that knows where bundled resources live.

From a source checkout they are in ``resources/`` beside the package; in a frozen
(PyInstaller) build they are under ``sys._MEIPASS``.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resource_root() -> Path:
    """The folder holding the bundled resources."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Path of a bundled resource, e.g. ``resource_path("demo", "fengdu-2020.json")``."""
    return resource_root().joinpath(*parts)
