"""``python -m desktop_app verify FILE CODE``: a code on paper → report, revision, changed or not."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from tests.e2e.test_cli import run_cli

from desktop_app.storage import Workspace

T0 = datetime(2021, 3, 10, 9, 30, tzinfo=timezone.utc)


def test_verify_recognises_both_codes_and_a_wrong_one(tmp_path, demo):
    with Workspace.open(tmp_path / "w.jxdb") as workspace:
        first = workspace.finalize(demo, T0)
        demo.execution_score = Decimal("8.11")
        second = workspace.finalize(demo, T0 + timedelta(days=1))
        workspace.export_file(demo.report_id, tmp_path / "r.jxzp")
        demo.closing.problems.append("定稿后又改了一处")
        workspace.save(demo)  # the workspace has moved on; the .jxzp has not

    old = run_cli("verify", str(tmp_path / "r.jxzp"), first.code.lower())
    assert old.returncode == 0, old.stderr
    assert f"校验码 {first.code}：第1版" in old.stdout
    assert "定稿后数据已修改" in old.stdout and "此后又定稿了第2版" in old.stdout
    assert "招商引资工作经费" in old.stdout and demo.report_id in old.stdout

    current = run_cli("verify", str(tmp_path / "r.jxzp"), second.code)
    assert current.returncode == 0, current.stderr
    assert "第2版" in current.stdout and "当前数据与该版一致" in current.stdout

    in_workspace = run_cli("verify", str(tmp_path / "w.jxdb"), second.code)
    assert in_workspace.returncode == 0 and "定稿后数据已修改" in in_workspace.stdout

    wrong = "0000-0000" if "0000-0000" not in (first.code, second.code) else "FFFF-FFFF"
    unknown = run_cli("verify", str(tmp_path / "r.jxzp"), wrong)
    assert unknown.returncode == 1 and f"未找到校验码 {wrong}" in unknown.stdout

    malformed = run_cli("verify", str(tmp_path / "r.jxzp"), "第1版")
    assert malformed.returncode == 2 and "校验码格式不对" in malformed.stderr
    assert "Traceback" not in malformed.stderr + unknown.stderr
    # Opened read-only: nothing was written beside the files.
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("w.jxdb")) == ["home", "r.jxzp"]
