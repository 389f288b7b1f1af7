"""Mutated report files, short run: every one opens or is refused with a Chinese message.

The machinery is ``bench/fuzz_files.py`` (its 1 000-file run is the bench figure).
"""

from __future__ import annotations

from pathlib import Path

from tests.e2e.test_durability import load_bench


def test_mutated_files_never_crash(tmp_path: Path) -> None:
    fuzz = load_bench("fuzz_files")
    tally = fuzz.fuzz(tmp_path, files=90, seed=3, render_every=30)
    report = "\n".join(tally.lines() + [f"{c.name}: {c.mutation}: {c.detail}" for c in tally.crashes])
    assert not tally.crashes, report
    refused = [o for o in tally.outcomes if o.result == "refused"]
    assert refused and all(o.message for o in refused), report
    assert len(tally.outcomes) == 90
