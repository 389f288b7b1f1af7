"""The command line never destroys data with its output (issue 15, defect 3).

``render 报告.jxzp -o 报告.jxzp`` used to replace the report with a PDF and exit 0, and
``render --demo -o DATA/workspace.jxdb`` overwrote the live workspace of an open window.
An output that is the input itself, a workspace or report file, one of their side files
or a folder is refused with a Chinese message (exit 2) and left byte-identical; the PDF
is written through a temporary file, so a failed write leaves the old file whole.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.demo import load_demo
from desktop_app.storage import Workspace

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "desktop_app", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, env=env, timeout=120)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def report_file(tmp_path) -> Path:
    report = load_demo()
    with Workspace.open(tmp_path / "w.jxdb") as workspace:
        workspace.save(report)
        workspace.export_file(report.report_id, tmp_path / "报告.jxzp")
    return tmp_path / "报告.jxzp"


def refused(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert all(word in result.stderr for word in words), result.stderr


def test_render_never_writes_over_its_own_input(report_file):
    before = digest(report_file)
    refused(run_cli("render", str(report_file), "-o", str(report_file)), "不会覆盖")
    assert digest(report_file) == before


def test_render_never_writes_over_a_workspace_or_its_side_files(tmp_path):
    data = tmp_path / "data"
    with Workspace.open(data / "workspace.jxdb") as workspace:  # held open, as by a window
        workspace.save(load_demo())
        live = data / "workspace.jxdb"
        before = digest(live)
        refused(run_cli("render", "--demo", "-o", str(live)), "工作区", ".pdf")
        renamed = data / "我的数据.bin"  # a database under any name is still recognised
        renamed.write_bytes(live.read_bytes())
        refused(run_cli("render", "--demo", "-o", str(renamed)), "不会用 PDF 覆盖")
        for side in ("workspace.jxdb-wal", "workspace.jxdb-journal", "workspace.jxdb.lock", "new.jxzp"):
            result = run_cli("render", "--demo", "-o", str(data / side))
            refused(result, "不会用 PDF 覆盖")
        assert digest(live) == before
        assert workspace.list_reports()  # still readable, still ours
    refused(run_cli("render", "--demo", "-o", str(tmp_path)), "文件夹")


def test_render_replaces_an_old_pdf_whole_and_leaves_nothing_beside_it(tmp_path):
    out = tmp_path / "报告.pdf"
    out.write_bytes(b"%PDF-1.4 an older export")
    result = run_cli("render", "--demo", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF-") and len(out.read_bytes()) > 10_000
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == ["报告.pdf"]


def test_a_failed_write_leaves_the_old_pdf_and_no_temporary_file(tmp_path, monkeypatch):
    import errno

    from desktop_app.system import files

    out = tmp_path / "报告.pdf"
    out.write_bytes(b"%PDF-1.4 the copy on the stick")

    def full_disk(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full_disk)
    with pytest.raises(OSError):
        files.write_bytes_atomically(out, b"%PDF-1.7 the new one")
    assert out.read_bytes() == b"%PDF-1.4 the copy on the stick"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == ["报告.pdf"]
