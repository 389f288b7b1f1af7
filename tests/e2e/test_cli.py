"""The command line as the team and CI use it: render, check, snapshot."""

from __future__ import annotations

import locale
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.system.console import encodes_everything
from tests.platforms import windows_lacks, wine_lacks_qtpdf

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "desktop_app", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=env, timeout=120)


def test_check_demo_lists_the_ceiling_error_and_exits_1():
    result = run_cli("check", "--demo")
    assert result.returncode == 1, result.stderr
    assert "总分 99 超过预算执行率 81.05% 所允许的最高分 98.11" in result.stdout
    assert "评价结论中等级前后不一" in result.stdout


@pytest.mark.parametrize("code_page", ["ansi", "utf-8"])
@pytest.mark.parametrize("target", ["pipe", "file"])
def test_check_output_to_a_pipe_or_file_in_every_code_page(tmp_path, code_page, target):
    """`jxzp check > 结果.txt` and `| findstr` on a Chinese Windows: code page 936 (the ANSI code
    page under Wine here) and 65001 (UTF-8; PYTHONUTF8=1 gives a pipe the same); UTF-8 on Linux.
    The output is whole and strictly in the target's encoding; a character GBK lacks (›) falls
    back instead of ending the run."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    env.pop("PYTHONIOENCODING", None)
    if code_page == "utf-8":
        env["PYTHONUTF8"] = "1"
    command = [sys.executable, "-m", "desktop_app", "check", "--demo"]
    if target == "file":
        out_file = tmp_path / "结果.txt"
        with out_file.open("wb") as handle:
            result = subprocess.run(command, stdout=handle, stderr=subprocess.PIPE, cwd=ROOT, env=env, timeout=120)
        raw = out_file.read_bytes()
    else:
        result = subprocess.run(command, capture_output=True, cwd=ROOT, env=env, timeout=120)
        raw = result.stdout
    assert result.returncode == 1, result.stderr.decode(errors="replace")
    encoding = "utf-8" if code_page == "utf-8" else locale.getpreferredencoding(False)
    text = raw.decode(encoding)  # strict
    assert "总分 99 超过预算执行率 81.05% 所允许的最高分 98.11" in text
    separator = " › " if encodes_everything(encoding) else " > "
    assert separator in text and "共 " in text.splitlines()[-1]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_render_demo_writes_a_pdf_with_the_computed_figures(tmp_path):
    out = tmp_path / "r.pdf"
    result = run_cli("render", "--demo", "-o", str(out))
    assert result.returncode == 0, result.stderr
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), fonts
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "资金到位率81.05%" in flat
    assert "243.16" in flat
    assert "项目支出绩效自评表" in flat
    from desktop_app.demo import load_demo

    for item in load_demo().output_items:
        assert "".join(item.name.split()) in flat, item.name


def test_check_and_render_a_jxzp_file(tmp_path, demo):
    from desktop_app.storage import Workspace

    with Workspace.open(tmp_path / "w.jxdb") as workspace:
        workspace.save(demo)
        workspace.export_file(demo.report_id, tmp_path / "demo.jxzp")
        workspace.copy(demo.report_id)
    assert run_cli("check", str(tmp_path / "demo.jxzp")).returncode == 1
    several = run_cli("check", str(tmp_path / "w.jxdb"))
    assert several.returncode == 2 and "--report" in several.stderr
    picked = run_cli("render", str(tmp_path / "w.jxdb"), "--report", demo.report_id, "-o", str(tmp_path / "x.pdf"))
    assert picked.returncode == 0, picked.stderr
    bogus = tmp_path / "bogus.jxzp"
    bogus.write_bytes(b"not a database at all")
    refused = run_cli("check", str(bogus))
    assert refused.returncode == 2 and "不是本程序的报告文件" in refused.stderr
    assert "Traceback" not in refused.stderr


@wine_lacks_qtpdf
def test_snapshot_writes_one_png_per_tab_and_per_page(tmp_path):
    result = run_cli("snapshot", "--demo", str(tmp_path))
    assert result.returncode == 0, result.stderr
    tabs = sorted(tmp_path.glob("tab-*.png"))
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(tabs) == 5
    assert len(pages) >= 5
    assert all(p.stat().st_size > 10_000 for p in tabs + pages)


@windows_lacks("display-less session: every Windows desktop session has its window station, so "
               "the window would open")
def test_window_without_display_explains_how_to_render_instead(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run([sys.executable, "-m", "desktop_app", "--data-dir", str(tmp_path)],
                            capture_output=True, text=True, env=env, timeout=60)
    if sys.platform.startswith("linux"):
        assert result.returncode == 2
        assert "render --demo -o demo.pdf" in result.stderr
