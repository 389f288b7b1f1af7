"""The durability torture, short: kill the app's edit-and-save loop at random, lose nothing.

The machinery is ``bench/torture.py`` (its 200-round run is the bench figure); this runs
a few rounds of each kind in CI: edits, an export and a schema migration, each child
killed with SIGKILL at a random moment, the workspace then checked with
``integrity_check`` and compared with the last acknowledged save.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from tests.platforms import windows_lacks

BENCH = Path(__file__).resolve().parents[2] / "bench"


def load_bench(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@windows_lacks("SIGKILL at a random moment (the Windows kill, TerminateProcess, is in "
                "test_storage_files.py::test_a_killed_export_leaves_only_a_temporary_file)")
def test_killed_at_random_moments_nothing_is_lost(tmp_path: Path) -> None:
    torture = load_bench("torture")
    tally = torture.torture(tmp_path, rounds=5, seed=20240315, kinds=("edit", "export", "migrate", "edit", "edit"))
    report = "\n".join(tally.lines() + tally.problems)
    assert tally.rounds == 5, report
    assert tally.corrupt_files == 0, report
    assert tally.lost_acknowledged == 0, report
    assert tally.bad_exports == 0 and tally.migration_failures == 0, report
    assert tally.acknowledged_edits > 0 and tally.stale_locks_recovered >= 3, report
    assert not tally.problems, report
