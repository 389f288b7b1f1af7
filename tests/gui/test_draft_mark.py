"""A PDF exported while errors remain carries 草稿（未通过校验） on every page; a clean one does not."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal

import pytest

from desktop_app.ui.document import ReportDocument
from desktop_app.ui.errors import Messages
from desktop_app.ui.main_window import MainWindow

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def page_texts(path):
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def export(qtbot, report, path):
    Messages.quiet = True
    window = MainWindow(ReportDocument(report))
    qtbot.addWidget(window)
    assert window.write_pdf(path)
    return page_texts(path)


def test_errors_put_the_draft_mark_on_every_page(qtbot, tmp_path, demo):
    pages = export(qtbot, demo, tmp_path / "draft.pdf")
    assert len(pages) >= 10
    assert all("草稿（未通过校验）" in "".join(page.split()) for page in pages)


def test_a_clean_report_prints_without_the_mark(qtbot, tmp_path, demo):
    demo.execution_score = Decimal("8.11")
    demo.overview.conclusion = "经自评，该项目自评得分为97.11分，评价等级为优，已达到预期绩效目标。"
    pages = export(qtbot, demo, tmp_path / "clean.pdf")
    assert not any("草稿" in page for page in pages)
